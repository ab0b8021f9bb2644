/**
 * "Pair a phone": the hub's one-time pairing code as a QR code (scan it with the phone's camera:
 * it opens this app on the machine and pairs) and as a short code to type. A new code replaces
 * one that expired; the panel says when a phone paired, and withdraws the code when closed.
 * `away`: an invite for a phone that is not at home — a link to send it (or this QR code to
 * show it), opened at the relay; the typed code is not shown, it is not heard away from home.
 */
import "./pairing.css";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { t } from "../../i18n/i18n.ts";
import { hubApi } from "../../shared/hub-api.ts";
import { QrCode } from "./QrCode.tsx";

export function PairingCode({
  onClose,
  compact = false,
  extra,
  away = false,
}: {
  onClose: () => void;
  compact?: boolean;
  extra?: ReactNode;
  away?: boolean;
}) {
  const client = useQueryClient();
  const code = useQuery({ queryKey: ["pairing-code", away], queryFn: () => hubApi.pairingCode(away), staleTime: 0, gcTime: 0 });
  const [copied, setCopied] = useState(false);
  // Its own query, never cached: the first answer is the list as it is when the panel opens.
  const apps = useQuery({ queryKey: ["pairing-watch"], queryFn: hubApi.pairedApps, refetchInterval: 2000, staleTime: 0, gcTime: 0 });
  const known = useRef<Set<string> | null>(null);
  const [paired, setPaired] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      clearInterval(t);
      void hubApi.closePairing().catch(() => {});
    };
  }, []);
  useEffect(() => {
    const ids = new Set(apps.data?.apps.map((a) => a.id) ?? []);
    if (!apps.data) return;
    if (known.current === null) known.current = ids;
    const added = apps.data.apps.find((a) => !known.current?.has(a.id));
    if (added) {
      known.current = ids;
      setPaired(added.name);
      void client.invalidateQueries({ queryKey: ["paired-apps"] });
    }
  }, [apps.data, client]);
  const expiresIn = code.data ? Math.max(0, Math.round((code.data.expires_at_ms - now) / 1000)) : 0;
  useEffect(() => {
    if (code.data && expiresIn === 0 && !paired) void client.invalidateQueries({ queryKey: ["pairing-code"] });
  }, [code.data, expiresIn, paired, client]);

  return (
    <section className={`pairing-code ${compact ? "compact" : ""}`} aria-labelledby="pairing-title">
      <h2 id="pairing-title">{paired ? t("Paired") : away ? t("Invite a phone away from home") : t("Pair a phone")}</h2>
      {paired ? (
        <p role="status">{t("“{name}” is paired with this machine.", { name: paired })}</p>
      ) : code.error ? (
        <p className="error">{(code.error as Error).message}</p>
      ) : !code.data ? (
        <p className="muted">{t("Making a code…")}</p>
      ) : away ? (
        <>
          <p>
            {t(
              "Send this link to the new phone (a message or an e-mail, to someone you trust). Opened there, it loads the app from the relay and pairs it with this machine.",
            )}
          </p>
          <p className="pairing-link">
            <input readOnly value={code.data.link} aria-label={t("Invite link")} onFocus={(e) => e.target.select()} />
          </p>
          <div className="row wrap">
            <button
              type="button"
              onClick={() =>
                void navigator.clipboard?.writeText(code.data.link).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {copied ? t("Copied") : t("Copy the link")}
            </button>
            {"share" in navigator && (
              <button
                type="button"
                className="quiet"
                onClick={() => void navigator.share({ title: "BrewOS", url: code.data.link }).catch(() => {})}
              >
                {t("Share…")}
              </button>
            )}
          </div>
          <QrCode text={code.data.link} label={t("Invite QR code: scan it with the new phone's camera")} sizePx={compact ? 160 : 200} />
          <p className="muted small">
            {t("Works once, for {time} more.", { time: `${Math.floor(expiresIn / 60)}:${String(expiresIn % 60).padStart(2, "0")}` })}
          </p>
        </>
      ) : (
        <>
          <QrCode text={code.data.link} label={t("Pairing QR code: scan it with the phone's camera")} sizePx={compact ? 200 : 240} />
          <p>{t("Scan with the phone's camera, or open this machine's address in the phone's browser and type")}</p>
          <p className="pairing-typed">
            <span aria-hidden="true" data-testid="typed-code">
              {code.data.typed_code}
            </span>
            <span className="sr-only">{t("Pairing code {code}", { code: code.data.typed_code.split("").join(" ") })}</span>
          </p>
          <p className="muted small">
            {t("Works once, for {time} more.", { time: `${Math.floor(expiresIn / 60)}:${String(expiresIn % 60).padStart(2, "0")}` })}
          </p>
        </>
      )}
      <div className="row pairing-actions">
        <button type="button" onClick={onClose}>
          {paired ? t("Done") : t("Close")}
        </button>
        {extra}
      </div>
    </section>
  );
}
