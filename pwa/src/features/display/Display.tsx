/**
 * The on-machine screen (480×480 round, or a small rectangle): large numbers, and actions reachable
 * with arrow keys and Enter (a rotary encoder sends those) as well as touch. Shows the state, brew
 * temperature, the shot timer and weight while brewing, and the last shot's summary.
 */
import "./display.css";
import { startCommand } from "@brewos/protocol/api";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { liveness, sendCommand, useMachine } from "../../connection/machine-store.ts";
import { decimal, t } from "../../i18n/i18n.ts";
import { age, minutesSeconds, seconds, stateWords, temp, yieldG } from "../../shared/format.ts";
import { hubApi } from "../../shared/hub-api.ts";
import { usePreferences } from "../../shared/preferences.ts";
import { tempIn } from "../../shared/units.ts";
import { useUnits } from "../../shared/use-units.ts";
import { PairedApps } from "../pairing/PairedApps.tsx";
import { PairingCode } from "../pairing/PairingCode.tsx";

export default function Display() {
  const m = useMachine();
  const s = m.snapshot;
  const status = m.status;
  const live = liveness(m).live;
  const pushed = useMachine((x) => x.lastShot);
  // The last shot: as the hub announced it while this screen was up, else the newest on record.
  const newest = useQuery({ queryKey: ["latest-shot"], queryFn: () => hubApi.shots(1), refetchInterval: 60_000 });
  const stored = newest.data?.shots[0] ?? null;
  const last = pushed && (!stored || pushed.started_at_ms >= stored.started_at_ms) ? pushed : stored;
  const unit = usePreferences((p) => p.unit);
  const u = useUnits();
  const actions = useRef<(HTMLButtonElement | null)[]>([]);
  const [focus, setFocus] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const [panel, setPanel] = useState<"none" | "pair" | "phones">("none");

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const n = actions.current.filter(Boolean).length;
      if (n === 0) return;
      if (e.key === "ArrowRight" || e.key === "ArrowDown") setFocus((f) => (f + 1) % n);
      else if (e.key === "ArrowLeft" || e.key === "ArrowUp") setFocus((f) => (f - 1 + n) % n);
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  useEffect(() => actions.current[focus]?.focus(), [focus]);

  const act = async (command: Record<string, unknown>) => {
    const r = await sendCommand(command);
    setMessage(r.ok ? null : (r.message ?? "refused"));
  };

  if (!s) {
    return (
      <main className="display">
        <div className="display-face">
          <p className="display-state">{status === "reconnecting" ? t("No hub") : t("Connecting")}</p>
        </div>
      </main>
    );
  }
  if (panel !== "none") {
    return (
      <main className="display" aria-label={t("Machine display")}>
        <div className="display-face display-panel">
          {panel === "pair" ? (
            <PairingCode
              compact
              onClose={() => setPanel("none")}
              extra={
                <button type="button" className="quiet" onClick={() => setPanel("phones")}>
                  {t("Paired phones")}
                </button>
              }
            />
          ) : (
            <>
              <h2>{t("Paired phones")}</h2>
              <PairedApps />
              <button type="button" onClick={() => setPanel("none")}>
                {t("Back")}
              </button>
            </>
          )}
        </div>
      </main>
    );
  }
  const on = s.state !== "idle";
  const buttons: { label: string; command: Record<string, unknown> }[] = s.brewing
    ? [{ label: t("Stop"), command: { type: "stop_shot" } }]
    : [
        { label: on ? t("Off") : t("On"), command: { type: "set_mode", mode: on ? "standby" : "brew" } },
        // Brew pulls the hub's recipe for the next shot: the same one the app and Home Assistant set.
        ...(s.ready && live
          ? [{ label: t("Brew"), command: m.nextShot ? startCommand(m.nextShot) : { type: "start_shot", require_scale: false } }]
          : []),
      ];
  actions.current.length = buttons.length + (s.brewing ? 0 : 1);
  return (
    <main className="display" aria-label={t("Machine display")}>
      <div className={live ? "display-face" : "display-face not-live"}>
        <p className={`display-state ${s.ready && live ? "ready" : ""}`}>
          {!live
            ? status === "connected"
              ? t("Controller not answering")
              : t("Hub not answering")
            : s.alarm === "scale_lost"
              ? t("Scale lost: on volume")
              : s.alarm
                ? t("Fault")
                : stateWords(s.state)}
        </p>
        {s.brewing ? (
          <>
            <p className="display-main">
              <span className="sr-only">{t("Shot time")} </span>
              {decimal(s.shot_elapsed_s ?? 0, 1)}
              <small>s</small>
            </p>
            <p className="display-sub">
              {s.scale_connected ? u.weight(s.weight_g) : `${s.shot_volume_ml.toFixed(0)} ml`} · {u.pressure(s.pressure_bar)}
            </p>
          </>
        ) : (
          <>
            <p className="display-main">
              <span className="sr-only">{t("Brew temperature")} </span>
              <span className="big">{decimal(tempIn(s.brew_c, unit), 1)}</span>
              <small>°{unit}</small>
            </p>
            <p className="display-sub">
              {!live
                ? t("last heard {age}", { age: age(Date.now() - m.receivedAt) })
                : s.ready
                  ? t("Ready")
                  : s.eta_ready_s
                    ? t("ready in {time}", { time: minutesSeconds(s.eta_ready_s) })
                    : s.brew_setpoint_c <= 0
                      ? t("heater off")
                      : t("target {value}", { value: temp(s.brew_setpoint_c, unit, 0) })}
            </p>
            {last && (
              <p className="display-last">
                {t("Last: {w} in {s}", { w: u.weight(yieldG(last)), s: seconds((last.duration_ms ?? 0) / 1000, 0) })}
              </p>
            )}
          </>
        )}
        <div className="display-actions">
          {buttons.map((b, i) => (
            <button
              key={b.label}
              ref={(el) => {
                actions.current[i] = el;
              }}
              type="button"
              onFocus={() => setFocus(i)}
              onClick={() => void act(b.command)}
            >
              {b.label}
            </button>
          ))}
          {!s.brewing && (
            <button
              ref={(el) => {
                actions.current[buttons.length] = el;
              }}
              type="button"
              className="display-pair"
              onFocus={() => setFocus(buttons.length)}
              onClick={() => setPanel("pair")}
            >
              {t("Pair")}
            </button>
          )}
        </div>
        {message && (
          <p className="display-error" role="alert">
            {message}
          </p>
        )}
      </div>
    </main>
  );
}
