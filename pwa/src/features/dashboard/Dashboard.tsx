/**
 * The machine at a glance: state and readiness, boiler temperatures against setpoints, pressure,
 * power and mode, eco, alarms with what to do, and maintenance reminders.
 */
import type { MachineSnapshot } from "@brewos/protocol/api";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { HubPicker } from "../../connection/HubPicker.tsx";
import { sendCommand, useMachine } from "../../connection/machine-store.ts";
import { alarmAdvice } from "../../shared/alarms.ts";
import { minutesSeconds, STATE_WORDS, temp } from "../../shared/format.ts";
import { hubApi } from "../../shared/hub-api.ts";
import { usePreferences } from "../../shared/preferences.ts";
import { useCommand } from "../../shared/use-command.ts";

/** Where a cold boiler starts: the bar shows the way from room temperature to the target. */
const ROOM_C = 20;

function Gauge({ label, value, setpoint }: { label: string; value: number; setpoint: number }) {
  const unit = usePreferences((p) => p.unit);
  const off = setpoint <= 0;
  const pct = off ? 0 : Math.max(0, Math.min(100, ((value - ROOM_C) / Math.max(setpoint - ROOM_C, 1)) * 100));
  const near = !off && Math.abs(value - setpoint) <= 1;
  return (
    <div className="gauge">
      <div className="gauge-head">
        <span>{label}</span>
        <span className="big">{temp(value, unit)}</span>
      </div>
      <meter className="sr-only" aria-label={`${label} temperature`} min={0} max={Math.max(setpoint, value, 1)} value={value} />
      <div className={`bar ${near ? "bar-ok" : ""}`} aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </div>
      <div className="muted small">{off ? "heater off" : `target ${temp(setpoint, unit)}`}</div>
    </div>
  );
}

/** The line under the state's headline: what it means now, never the headline again. */
const STATE_DETAIL: Record<string, string> = {
  init: "Starting up…",
  heating: "Heating up…",
  brewing: "A shot is running.",
  steaming: "Steam is on.",
  eco: "Kept warm at a lower temperature to save energy; choose Brew or Steam to heat up.",
  fault: "Stopped by a fault: see below.",
  safe: "Stopped for safety: see below.",
};

function Readiness({ s }: { s: MachineSnapshot }) {
  if (s.ready) return <p className="ready">Ready to brew</p>;
  if (s.state === "idle") return <p className="muted">Turn it on to heat up.</p>;
  if (s.eta_ready_s !== null && s.eta_ready_s > 0) return <p>Ready in about {minutesSeconds(s.eta_ready_s)}</p>;
  return <p>{STATE_DETAIL[s.state] ?? `${STATE_WORDS[s.state] ?? s.state}…`}</p>;
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
        Clear fault
      </button>
      {still && <p className="error">Still there: the machine clears it only once the cause is fixed. {alarmAdvice(alarm).action}</p>}
    </>
  );
}

function Maintenance() {
  const q = useQuery({ queryKey: ["statistics"], queryFn: hubApi.statistics, refetchInterval: 60_000 });
  const due = q.data?.maintenance.filter((m) => m.due) ?? [];
  if (due.length === 0) return null;
  const words: Record<string, string> = { backflush: "Backflush", group_clean: "Clean the group", descale: "Descale" };
  return (
    <section className="card" aria-label="Maintenance">
      <h2>Maintenance</h2>
      <ul>
        {due.map((m) => (
          <li key={m.kind}>
            <strong>{words[m.kind] ?? m.kind}</strong> is due{m.reason ? ` (${m.reason})` : ""}.
          </li>
        ))}
      </ul>
    </section>
  );
}

function NoHub() {
  const [late, setLate] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setLate(true), 3000);
    return () => clearTimeout(t);
  }, []);
  if (!late) return <p className="muted">Connecting to the hub…</p>;
  return (
    <section className="card">
      <h1>Find your machine</h1>
      <p>The app could not reach a BrewOS hub yet. It keeps trying; you can also tell it where the hub is.</p>
      <HubPicker />
    </section>
  );
}

export function Dashboard() {
  const s = useMachine((x) => x.snapshot);
  const unit = usePreferences((p) => p.unit);
  const { run, error, busy } = useCommand();
  if (!s) return <NoHub />;
  const on = s.state !== "idle";
  // The mode chosen (the hub's desired state), not guessed from the boiler's state: Steam stays
  // selected while the steam boiler heats. (Older hubs do not send it.)
  const mode = s.mode === "steam" || (s.mode === undefined && s.state === "steaming") ? "steam" : "brew";
  return (
    <div className="stack">
      <section className="card hero" aria-label="Machine">
        <div className="row between">
          <h1>{STATE_WORDS[s.state] ?? s.state}</h1>
          <button
            type="button"
            className={on ? "power on" : "power"}
            aria-pressed={on}
            disabled={busy}
            onClick={() => run({ type: "set_mode", mode: on ? "standby" : "brew" })}
          >
            {on ? "Turn off" : "Turn on"}
          </button>
        </div>
        <Readiness s={s} />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
      {s.alarm && (
        <section className="card alarm" role="alert" aria-label="Alarm">
          <h2>{alarmAdvice(s.alarm).title}</h2>
          <p>{alarmAdvice(s.alarm).action}</p>
          <ClearFault alarm={s.alarm} run={run} busy={busy} />
        </section>
      )}
      <section className="card grid2" aria-label="Temperatures">
        <Gauge label="Brew" value={s.brew_c} setpoint={s.brew_setpoint_c} />
        <Gauge label="Steam" value={s.steam_c} setpoint={s.steam_setpoint_c} />
        <div className="stat">
          <span className="muted">Group</span>
          <span className="big">{temp(s.group_c, unit)}</span>
        </div>
        <div className="stat">
          <span className="muted">Pressure</span>
          <span className="big">{s.pressure_bar.toFixed(1)} bar</span>
        </div>
      </section>
      <section className="card" aria-label="Mode">
        <h2>Mode</h2>
        <div className="row wrap">
          <fieldset className="segmented" disabled={!on || busy}>
            <legend className="sr-only">Boiler mode</legend>
            {(["brew", "steam"] as const).map((m) => (
              <button key={m} type="button" aria-pressed={on && mode === m} onClick={() => run({ type: "set_mode", mode: m })}>
                {m === "brew" ? "Brew" : "Steam"}
              </button>
            ))}
          </fieldset>
          <label className="toggle">
            <input
              type="checkbox"
              checked={s.flags.includes("eco_active") || s.state === "eco"}
              onChange={(e) => void sendCommand({ type: "set_eco", on: e.target.checked })}
            />
            Eco
          </label>
        </div>
      </section>
      <Maintenance />
    </div>
  );
}
