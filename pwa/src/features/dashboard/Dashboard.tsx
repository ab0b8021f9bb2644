/**
 * The machine at a glance: state and readiness, boiler temperatures against setpoints, pressure,
 * power and mode, eco, alarms with what to do, and maintenance reminders.
 */
import type { MachineSnapshot } from "@brewos/protocol/api";
import { useEffect, useRef, useState } from "react";
import { HubPicker } from "../../connection/HubPicker.tsx";
import { liveness, sendCommand, useMachine } from "../../connection/machine-store.ts";
import { t } from "../../i18n/i18n.ts";
import { alarmAdvice } from "../../shared/alarms.ts";
import { useCachedQuery } from "../../shared/cached-query.ts";
import { ErrorLine } from "../../shared/ErrorLine.tsx";
import { age, minutesSeconds, STATE_DETAIL, stateWords, temp } from "../../shared/format.ts";
import { hubApi } from "../../shared/hub-api.ts";
import { usePreferences } from "../../shared/preferences.ts";
import { useCommand } from "../../shared/use-command.ts";
import { useUnits } from "../../shared/use-units.ts";

/** Ranges the app offers for each boiler's target (°C); the hub checks the protocol's own too. */
const TARGET_RANGE = { brew: [80, 100], steam: [110, 160] } as const;
/** A group this far below the brew target is still warming: shots from it run cooler (an E61 group settles some 8–10 °C under its boiler, after 20–25 minutes). */
export const GROUP_WARM_WITHIN_C = 15;

/**
 * Where this heat-up started, per boiler: the bar shows the way from there to the target (a warm
 * machine does not start at 0 %). Reset when the machine is off or at temperature.
 */
function useHeatStart(boiler: "brew" | "steam", value: number, heating: boolean): number {
  const start = useRef<{ brew: number | null; steam: number | null }>({ brew: null, steam: null });
  if (!heating) start.current[boiler] = null;
  else start.current[boiler] ??= value;
  return Math.min(start.current[boiler] ?? value, value);
}

function Gauge(p: {
  boiler: "brew" | "steam";
  label: string;
  value: number;
  /** What the owner chose. */
  target: number;
  /** What the controller aims at now (0: heater off). */
  setpoint: number;
  heating: boolean;
  adjustable: boolean;
  run: (c: Record<string, unknown>) => Promise<unknown>;
}) {
  const unit = usePreferences((x) => x.unit);
  const off = p.setpoint <= 0;
  const from = useHeatStart(p.boiler, p.value, p.heating && !off);
  const aim = off ? p.target : p.setpoint;
  const pct = off ? 0 : Math.max(0, Math.min(100, ((p.value - from) / Math.max(aim - from, 0.5)) * 100));
  const near = !off && Math.abs(p.value - aim) <= 1;
  const [lo, hi] = TARGET_RANGE[p.boiler];
  // One step is 0.5 °C, or 1 °F when the phone shows °F.
  const step = unit === "F" ? 5 / 9 : 0.5;
  const set = (next: number) => {
    const c = Math.round(Math.max(lo, Math.min(hi, next)) * 100) / 100;
    void p.run({ type: "set_setpoints", [p.boiler === "brew" ? "brew_c" : "steam_c"]: c });
  };
  return (
    <div className="gauge">
      <div className="gauge-head">
        <span>{p.label}</span>
        <span className="big">{temp(p.value, unit)}</span>
      </div>
      <meter
        className="sr-only"
        aria-label={t("{boiler} temperature", { boiler: p.label })}
        min={0}
        max={Math.max(aim, p.value, 1)}
        value={p.value}
      />
      <div className={`bar ${near ? "bar-ok" : ""}`} aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </div>
      <div className="target row">
        <button
          type="button"
          className="step"
          aria-label={t("{boiler} target down", { boiler: p.label })}
          disabled={!p.adjustable}
          onClick={() => set(p.target - step)}
        >
          −
        </button>
        <span className="small" data-testid={`${p.boiler}-target`}>
          {t("target {value}", { value: temp(p.target, unit) })}
        </span>
        <button
          type="button"
          className="step"
          aria-label={t("{boiler} target up", { boiler: p.label })}
          disabled={!p.adjustable}
          onClick={() => set(p.target + step)}
        >
          +
        </button>
      </div>
      <div className="muted small">
        {off
          ? t("heater off")
          : Math.abs(p.setpoint - p.target) > 0.2
            ? t("now aiming at {value}", { value: temp(p.setpoint, unit) })
            : "\u00a0"}
      </div>
    </div>
  );
}

/** A dual boiler's group still warming behind a boiler at temperature: not ready for a good shot. */
export function groupWarming(s: MachineSnapshot): boolean {
  return s.ready && (s.machine?.capabilities.includes("group_sensor") ?? false) && s.group_c < s.brew_target_c - GROUP_WARM_WITHIN_C;
}

function Readiness({ s }: { s: MachineSnapshot }) {
  const unit = usePreferences((p) => p.unit);
  if (groupWarming(s))
    return (
      <p>
        {t("The boiler is at temperature; the group is still warming ({value}). A shot now runs cooler.", { value: temp(s.group_c, unit) })}
      </p>
    );
  if (s.ready) return <p className="ready">{t("Ready to brew")}</p>;
  if (s.state === "idle") return <p className="muted">{t("Turn it on to heat up.")}</p>;
  if (s.eta_ready_s !== null && s.eta_ready_s > 0) return <p>{t("Ready in about {time}", { time: minutesSeconds(s.eta_ready_s) })}</p>;
  return <p>{STATE_DETAIL[s.state] ? t(STATE_DETAIL[s.state] as string) : `${stateWords(s.state)}…`}</p>;
}

/** Clearing a fault whose cause is still there does nothing on the machine: say so, and what to fix. */
function ClearFault({ alarm, run, busy }: { alarm: string; run: (c: Record<string, unknown>) => Promise<{ ok: boolean }>; busy: boolean }) {
  const [still, setStill] = useState(false);
  const current = useMachine((m) => m.snapshot?.alarm ?? null);
  useEffect(() => {
    if (current !== alarm) setStill(false);
  }, [current, alarm]);
  return (
    <>
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setStill(false);
          const r = await run({ type: "clear_fault" });
          if (!r.ok) return;
          setTimeout(() => {
            if (useMachine.getState().snapshot?.alarm === alarm) setStill(true);
          }, 1500);
        }}
      >
        {t("Clear fault")}
      </button>
      {still && (
        <p className="error">
          {t("Still there: the machine clears it only once the cause is fixed.")} {alarmAdvice(alarm).action}
        </p>
      )}
    </>
  );
}

function Maintenance() {
  const q = useCachedQuery("statistics", hubApi.statistics, { refetchInterval: 60_000 });
  const due = q.data?.maintenance.filter((m) => m.due) ?? [];
  if (due.length === 0) return null;
  const words: Record<string, string> = { backflush: t("Backflush"), group_clean: t("Clean the group"), descale: t("Descale") };
  return (
    <section className="card" aria-label={t("Maintenance")}>
      <h2>{t("Maintenance")}</h2>
      <ul>
        {due.map((m) => (
          <li key={m.kind}>
            <strong>{words[m.kind] ?? m.kind}</strong> {t("is due")}
            {m.reason ? ` (${m.reason})` : ""}.
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A machine with its own steam boiler to show (a single boiler steams from its one boiler). */
function hasSteam(s: MachineSnapshot): boolean {
  return s.machine ? s.machine.type !== "single_boiler" : true;
}

function NoHub() {
  const [late, setLate] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setLate(true), 3000);
    return () => clearTimeout(timer);
  }, []);
  if (!late) return <p className="muted">{t("Connecting to the hub…")}</p>;
  return (
    <section className="card">
      <h1>{t("Find your machine")}</h1>
      <p>{t("The app could not reach a BrewOS hub yet. It keeps trying; you can also tell it where the hub is.")}</p>
      <HubPicker />
    </section>
  );
}

/** Values that are not live look it, and say why and how old they are. */
function NotLive({ why, receivedAt }: { why: string; receivedAt: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <section className="card notice" role="status" aria-label={t("Not live")}>
      <p>
        <strong>{why}</strong>
        {receivedAt > 0 ? ` ${t("Last heard {age}.", { age: age(now - receivedAt) })}` : ""}
      </p>
    </section>
  );
}

export function Dashboard() {
  const m = useMachine();
  const s = m.snapshot;
  const u = useUnits();
  const { run, error, busy } = useCommand();
  if (!s) return <NoHub />;
  const live = liveness(m);
  const on = s.state !== "idle";
  const heating = s.state === "heating" || s.state === "init";
  const headline = groupWarming(s) ? t("Warming the group") : stateWords(s.state);
  // The mode chosen (the hub's desired state), not guessed from the boiler's state: Steam stays
  // selected while the steam boiler heats. (Older hubs do not send it.)
  const mode = s.mode === "steam" || (s.mode === undefined && s.state === "steaming") ? "steam" : "brew";
  return (
    <div className={live.live ? "stack" : "stack not-live"}>
      {!live.live && <NotLive why={live.why} receivedAt={m.receivedAt} />}
      <section className="card hero" aria-label={t("Machine")}>
        <div className="row between">
          <h1>{headline}</h1>
          <button
            type="button"
            className={on ? "power on" : "power"}
            aria-pressed={on}
            disabled={busy || !live.live}
            onClick={() => run({ type: "set_mode", mode: on ? "standby" : "brew" })}
          >
            {on ? t("Turn off") : t("Turn on")}
          </button>
        </div>
        <Readiness s={s} />
        <ErrorLine text={error} />
      </section>
      {s.alarm && (
        <section className="card alarm" role="alert" aria-label={t("Alarm")}>
          <h2>{alarmAdvice(s.alarm).title}</h2>
          <p>{alarmAdvice(s.alarm).action}</p>
          <ClearFault alarm={s.alarm} run={run} busy={busy} />
        </section>
      )}
      <section className="card grid2" aria-label={t("Temperatures")}>
        <Gauge
          boiler="brew"
          label={t("Brew")}
          value={s.brew_c}
          target={s.brew_target_c ?? s.brew_setpoint_c}
          setpoint={s.brew_setpoint_c}
          heating={heating}
          adjustable={live.live && !busy}
          run={run}
        />
        {hasSteam(s) && (
          <Gauge
            boiler="steam"
            label={t("Steam")}
            value={s.steam_c}
            target={s.steam_target_c ?? s.steam_setpoint_c}
            setpoint={s.steam_setpoint_c}
            heating={heating || s.mode === "steam"}
            adjustable={live.live && !busy}
            run={run}
          />
        )}
        {(s.machine?.capabilities.includes("group_sensor") ?? true) && (
          <div className="stat">
            <span className="muted">{t("Group")}</span>
            <span className="big">{u.temp(s.group_c)}</span>
          </div>
        )}
        <div className="stat">
          <span className="muted">{t("Pressure")}</span>
          <span className="big">{u.pressure(s.pressure_bar)}</span>
        </div>
      </section>
      <section className="card" aria-label={t("Mode")}>
        <h2>{t("Mode")}</h2>
        <div className="row wrap">
          <fieldset className="segmented" disabled={!on || busy || !live.live}>
            <legend className="sr-only">{t("Boiler mode")}</legend>
            {(["brew", "steam"] as const).map((k) => (
              <button key={k} type="button" aria-pressed={on && mode === k} onClick={() => run({ type: "set_mode", mode: k })}>
                {k === "brew" ? t("Brew") : t("Steam")}
              </button>
            ))}
          </fieldset>
          <label className="toggle">
            <input
              type="checkbox"
              checked={s.eco ?? (s.flags.includes("eco_active") || s.state === "eco")}
              disabled={!live.live}
              onChange={(e) => void sendCommand({ type: "set_eco", on: e.target.checked })}
            />
            {t("Eco")}
          </label>
          <button
            type="button"
            disabled={!live.live || busy || !s.ready || s.brewing}
            title={t("Water through the group, without the portafilter; not recorded as a shot")}
            onClick={() => void run({ type: "flush", seconds: 5 })}
          >
            {t("Flush 5 s")}
          </button>
        </div>
        {s.machine?.type !== "single_boiler" && (
          <p className="muted small">
            {t("Hot water comes from the machine's own tap; this controller does not drive a hot-water valve.")}
          </p>
        )}
      </section>
      <Maintenance />
    </div>
  );
}
