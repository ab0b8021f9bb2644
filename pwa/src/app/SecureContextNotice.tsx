/**
 * Browsers only allow the service worker (offline use), installing and Bluetooth on secure pages:
 * HTTPS, or localhost. On plain HTTP across the LAN say so, and how to fix it, instead of failing quietly.
 * When the machine has its own trusted address (docs/lan-https.md), offer to move the app there.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useMachine } from "../connection/machine-store.ts";
import { moveToSecureOrigin } from "../connection/move-to-secure.ts";
import { t } from "../i18n/i18n.ts";
import { ErrorLine } from "../shared/ErrorLine.tsx";
import { hubApi } from "../shared/hub-api.ts";

function MoveToSecure({ origin }: { origin: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <aside className="notice" aria-label={t("A secure address for this machine")}>
      <p>
        <strong>{t("This machine has a secure address now:")}</strong> {origin.replace(/^https:\/\//, "")}.{" "}
        {t("Move the app there to install it and use it offline; it pairs there with one tap, and this address's pairing is removed.")}
      </p>
      <button
        type="button"
        className="primary"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          moveToSecureOrigin(origin).catch((e: Error) => {
            setError(e.message);
            setBusy(false);
          });
        }}
      >
        {t("Move the app there")}
      </button>
      <ErrorLine text={error} />
    </aside>
  );
}

function useSecureAddress(): string | null {
  const paired = useMachine((m) => m.pairing === "paired");
  const q = useQuery({
    queryKey: ["lan-https"],
    queryFn: hubApi.lanHttps,
    enabled: paired && !window.isSecureContext,
    staleTime: 60_000,
    retry: false,
  });
  return q.data?.state === "valid" && q.data.name_check === "ok" ? (q.data.origin ?? null) : null;
}

export function SecureContextNotice() {
  const [hidden, setHidden] = useState(() => sessionStorage.getItem("brewos.insecure-ok") === "1");
  const secureOrigin = useSecureAddress();
  if (window.isSecureContext) return null;
  if (secureOrigin) return <MoveToSecure origin={secureOrigin} />;
  if (hidden) return null;
  return (
    <aside className="notice" aria-label={t("Limited features on this connection")}>
      <p>
        <strong>{t("Offline use, installing and Bluetooth are off on this page")}</strong>
        {t(
          ", because it was opened over plain HTTP. Turn on HTTPS: give the hub a certificate (its settings {cert} and {key}, or {flags} when it starts; see the README) and open {address}, or use the app on the hub itself at {localhost}.",
          {
            cert: "https.cert_path",
            key: "https.key_path",
            flags: "--tls-cert / --tls-key",
            address: `https://${location.host}`,
            localhost: "localhost",
          },
        )}
      </p>
      <button
        type="button"
        onClick={() => {
          sessionStorage.setItem("brewos.insecure-ok", "1");
          setHidden(true);
        }}
      >
        {t("Got it")}
      </button>
    </aside>
  );
}
