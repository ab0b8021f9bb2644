/**
 * The scale: which one is in use and by which path (the hub over Bluetooth, the simulator's, or this
 * phone), its live weight, battery and whether its weight is current; Tare; and finding, pairing and
 * forgetting scales — on the hub for brew-by-weight, on this phone (Chrome on Android or desktop)
 * for shots logged by hand.
 */
import type { ScaleState } from "@brewos/protocol/scales";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useMachine } from "../../connection/machine-store.ts";
import { t } from "../../i18n/i18n.ts";
import { hubFetch } from "../../shared/hub-api.ts";
import { useUnits } from "../../shared/use-units.ts";
import { connectPhoneScale, forgetPhoneScale, setLending, usePhoneScale } from "./phone-scale.ts";
import { webBluetooth } from "./web-bluetooth.ts";

interface HubScale {
  source: "bluetooth" | "simulator" | "none";
  health: { connected: boolean; describe: string | null; last_error: string | null } | null;
  detail?: { state: string; stale: boolean; battery_pct: number | null; family: string | null; name: string | null };
  remembered: { id: string; name: string; family: string }[];
  /** A scale a phone lends the hub, and which scale brew-by-weight uses now. */
  phone?: { name: string | null; family: string; battery_pct: number | null; connected: boolean } | null;
  in_use?: "own" | "phone" | null;
}
type Found = { id: string; name: string | null; family: string };

const STATE_WORDS = (): Record<ScaleState, string> => ({
  off: t("off"),
  scanning: t("looking for it"),
  connecting: t("connecting"),
  connected: t("connected"),
  reconnecting: t("reconnecting"),
});

const post = (path: string, body: unknown) => hubFetch<unknown>(path, { method: "POST", body: JSON.stringify(body) });

function HubScaleCard() {
  const u = useUnits();
  const client = useQueryClient();
  const q = useQuery({ queryKey: ["scale"], queryFn: () => hubFetch<HubScale>("/api/scale"), refetchInterval: 2000 });
  const live = useMachine((m) => m.snapshot);
  const [found, setFound] = useState<Found[] | null>(null);
  const [state, setState] = useState<string | null>(null);
  const s = q.data;
  const run = async (what: () => Promise<unknown>, done: string) => {
    setState(null);
    try {
      await what();
      setState(done);
      await client.invalidateQueries({ queryKey: ["scale"] });
    } catch (e) {
      setState((e as Error).message);
    }
  };
  const path =
    s?.source === "bluetooth"
      ? t("The hub reads it over Bluetooth.")
      : s?.source === "simulator"
        ? t("The simulator's virtual scale.")
        : t("The hub has no scale.");
  return (
    <section className="card" aria-label={t("The hub's scale")}>
      <h2>{t("The hub's scale")}</h2>
      <p className="muted small">
        {t("Brew-by-weight uses this one.")} {path}
      </p>
      {s?.phone && (
        <p data-testid="lent-scale">
          {s.in_use === "phone"
            ? t("Brew-by-weight uses {name}, lent by a phone.", { name: s.phone.name ?? s.phone.family })
            : t("A phone lends {name}; the hub's own scale comes first.", { name: s.phone.name ?? s.phone.family })}
        </p>
      )}
      <dl className="facts">
        <dt>{t("Scale")}</dt>
        <dd data-testid="hub-scale-name">{s?.detail?.name ?? s?.health?.describe ?? t("none")}</dd>
        <dt>{t("Weight")}</dt>
        <dd data-testid="hub-scale-weight">{live?.scale_connected ? u.weight(live.weight_g) : t("no weight")}</dd>
        {s?.detail?.battery_pct !== null && s?.detail?.battery_pct !== undefined && (
          <>
            <dt>{t("Battery")}</dt>
            <dd>{s.detail.battery_pct} %</dd>
          </>
        )}
      </dl>
      {s?.detail?.stale && s.detail.state === "connected" && (
        <p role="alert">{t("No weight from the scale right now: brew-by-weight will not use it.")}</p>
      )}
      {s?.health?.last_error && !s.health.connected && <p className="muted small">{s.health.last_error}</p>}
      <p className="row wrap">
        <button type="button" disabled={!live?.scale_connected} onClick={() => void run(() => post("/api/scale/tare", {}), t("Tared."))}>
          {t("Tare")}
        </button>
        {s?.source === "bluetooth" && (
          <button
            type="button"
            className="quiet"
            onClick={() =>
              void run(
                async () => setFound(((await post("/api/scale/scan", { seconds: 4 })) as { found: Found[] }).found),
                t("Scan finished."),
              )
            }
          >
            {t("Find scales")}
          </button>
        )}
      </p>
      {found && (
        <ul className="plain" aria-label={t("Scales nearby")}>
          {found.length === 0 && <li className="muted">{t("No scale nearby. Is it on and awake?")}</li>}
          {found.map((f) => (
            <li key={f.id}>
              {f.name ?? f.family} <span className="muted small">({f.family})</span>{" "}
              <button
                type="button"
                onClick={() => void run(() => post("/api/scale/pair", { id: f.id }), t("Using {name}.", { name: f.name ?? f.family }))}
              >
                {t("Use this scale")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {(s?.remembered.length ?? 0) > 0 && (
        <ul className="plain" aria-label={t("Remembered scales")}>
          {s?.remembered.map((r) => (
            <li key={r.id}>
              {r.name}{" "}
              <button
                type="button"
                className="quiet"
                onClick={() =>
                  void run(() => hubFetch(`/api/scale/remembered/${encodeURIComponent(r.id)}`, { method: "DELETE" }), t("Forgotten."))
                }
              >
                {t("Forget")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {state && <p className="muted small">{state}</p>}
    </section>
  );
}

function PhoneScaleCard() {
  const u = useUnits();
  const bt = webBluetooth();
  const { status, weight_g, message, manager, lend, refused } = usePhoneScale();
  if (!bt)
    return (
      <section className="card" aria-label={t("This phone's scale")}>
        <h2>{t("This phone's scale")}</h2>
        <p className="muted small">{t("This browser has no Bluetooth (iPhones have none): pair the scale with the hub instead.")}</p>
      </section>
    );
  return (
    <section className="card" aria-label={t("This phone's scale")}>
      <h2>{t("This phone's scale")}</h2>
      <p className="muted small">{t("For shots you log by hand, and for brew-by-weight when the hub has no scale.")}</p>
      {status && (
        <dl className="facts">
          <dt>{t("Scale")}</dt>
          <dd data-testid="phone-scale-name">{status.scale?.name ?? "—"}</dd>
          <dt>{t("State")}</dt>
          <dd data-testid="phone-scale-state">{STATE_WORDS()[status.state]}</dd>
          <dt>{t("Weight")}</dt>
          <dd data-testid="phone-scale-weight">{weight_g === null ? t("no weight") : u.weight(weight_g)}</dd>
          {status.battery_pct !== null && (
            <>
              <dt>{t("Battery")}</dt>
              <dd>{status.battery_pct} %</dd>
            </>
          )}
        </dl>
      )}
      <label className="row">
        <input type="checkbox" checked={lend} onChange={(e) => setLending(e.target.checked)} />
        {t("Lend it to the machine for brew-by-weight while the hub has no scale of its own")}
      </label>
      {refused && <p className="muted small">{t("The machine is not using it: {why}", { why: refused })}</p>}
      {status?.last_error && status.state !== "connected" && <p className="muted small">{status.last_error}</p>}
      {message && <p role="alert">{message}</p>}
      <p className="row wrap">
        <button type="button" onClick={() => void connectPhoneScale(bt)}>
          {t("Connect a scale to this phone")}
        </button>
        {manager && (
          <>
            <button type="button" className="quiet" onClick={() => void manager.tare()}>
              {t("Tare")}
            </button>
            <button type="button" className="quiet" onClick={() => void forgetPhoneScale()}>
              {t("Forget")}
            </button>
          </>
        )}
      </p>
    </section>
  );
}

export default function Scale() {
  return (
    <section>
      <h1>{t("Scale")}</h1>
      <HubScaleCard />
      <PhoneScaleCard />
    </section>
  );
}
