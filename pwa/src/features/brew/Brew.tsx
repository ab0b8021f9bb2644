/**
 * Brewing: choose a profile, dose, target weight (the ratio is shown) and a time limit, see how the
 * shot will stop before starting it, start and stop, and watch the shot live: timer, phase,
 * pressure, flow, weight and temperature at the telemetry rate.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "../../app/router.tsx";
import { useMachine } from "../../connection/machine-store.ts";
import { alarmAdvice } from "../../shared/alarms.ts";
import { grams, STOP_WORDS, seconds, temp, yieldG } from "../../shared/format.ts";
import { hubApi } from "../../shared/hub-api.ts";
import { usePreferences } from "../../shared/preferences.ts";
import { ShotChart } from "../../shared/ShotChart.tsx";
import { useCommand } from "../../shared/use-command.ts";

const MACHINE_DEFAULT = "";

function useBrewForm() {
  const saved = JSON.parse(localStorage.getItem("brewos.brew") ?? "{}") as {
    profile?: string;
    dose?: number;
    target?: number;
    timeLimit?: number;
  };
  const [profile, setProfile] = useState(saved.profile ?? MACHINE_DEFAULT);
  const [dose, setDose] = useState(saved.dose ?? 18);
  const [target, setTarget] = useState(saved.target ?? 36);
  const [timeLimit, setTimeLimit] = useState(saved.timeLimit ?? 0);
  const remember = () => localStorage.setItem("brewos.brew", JSON.stringify({ profile, dose, target, timeLimit }));
  return { profile, setProfile, dose, setDose, target, setTarget, timeLimit, setTimeLimit, remember };
}

/** One labelled number of the shot form. */
function NumberField(p: {
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
  disabled: boolean;
  onChange: (v: number) => void;
}) {
  return (
    <label>
      {p.label}
      <input
        type="number"
        inputMode={p.step < 1 ? "decimal" : "numeric"}
        min={p.min}
        max={p.max}
        step={p.step}
        value={p.value}
        disabled={p.disabled}
        onChange={(e) => p.onChange(Number(e.target.value))}
      />
    </label>
  );
}

/** How the next shot will end, in words, before it starts (the controller enforces the same). */
function stopWords(target: number, timeLimit: number, scale: boolean): string {
  const time = timeLimit >= 1 ? `, or at ${timeLimit} s` : "";
  if (target >= 1 && scale) return `Stops at ${target} g on the scale${time}.`;
  if (target >= 1) return `No scale: stops on the volume that makes ${target} g in the cup${time}.`;
  return timeLimit >= 1
    ? `Stops at ${timeLimit} s (or the profile's own end).`
    : "Stops at the profile's end, or at the machine's volume limit for this dose.";
}

function LiveNumbers() {
  const s = useMachine((x) => x.snapshot);
  const unit = usePreferences((p) => p.unit);
  if (!s) return null;
  return (
    <dl className="numbers">
      <div>
        <dt>Time</dt>
        <dd className="big" data-testid="shot-timer">
          {seconds(s.shot_elapsed_s ?? 0)}
        </dd>
      </div>
      <div>
        <dt>Weight</dt>
        <dd className="big">{s.scale_connected ? grams(s.weight_g) : "no scale"}</dd>
      </div>
      <div>
        <dt>Pressure</dt>
        <dd className="big">{s.pressure_bar.toFixed(1)} bar</dd>
      </div>
      <div>
        <dt>Flow</dt>
        <dd className="big">{s.flow_ml_s.toFixed(1)} ml/s</dd>
      </div>
      <div>
        <dt>Brew water</dt>
        <dd className="big">{temp(s.brew_c, unit)}</dd>
      </div>
    </dl>
  );
}

/** Why a shot cannot start now, in words: a fault names itself, an unreachable machine says so. */
export function notReadyWhy(s: { ready: boolean; stale: boolean; state: string; alarm: string | null }): string {
  if (s.stale) return "The machine is not answering, so no shot can start; the values shown are the last ones heard.";
  if (s.alarm && s.alarm !== "scale_lost")
    return `Not while there is a fault: ${alarmAdvice(s.alarm).title}. ${alarmAdvice(s.alarm).action}`;
  if (s.state === "idle") return "The machine is off: turn it on on the Machine screen.";
  return "Waits for the machine to be ready.";
}

export default function Brew() {
  const f = useBrewForm();
  const s = useMachine((x) => x.snapshot);
  const trace = useMachine((x) => x.trace);
  const lastShot = useMachine((x) => x.lastShot);
  const profiles = useQuery({ queryKey: ["profiles"], queryFn: hubApi.profiles });
  const { run, busy, error } = useCommand();
  const brewing = s?.brewing ?? false;
  const all = [...(profiles.data?.custom ?? []), ...(profiles.data?.bundled ?? [])];
  const chosen = all.find((p) => p.id === f.profile);
  const phaseName = s?.shot_phase !== null && s?.shot_phase !== undefined ? chosen?.phases[s.shot_phase]?.name : undefined;
  const ratio = f.dose > 0 ? f.target / f.dose : 0;

  const start = async () => {
    f.remember();
    // The hub puts the chosen profile into a controller slot (reusing one that holds it) and starts.
    await run({
      type: "start_shot",
      ...(f.profile !== MACHINE_DEFAULT ? { profile_id: f.profile } : {}),
      dose_g: f.dose,
      target_g: f.target >= 1 ? f.target : undefined,
      stop_time_s: f.timeLimit >= 1 ? f.timeLimit : undefined,
      require_scale: false,
    });
  };

  return (
    <div className="stack">
      <section className="card" aria-label="Shot settings">
        <h1>Brew</h1>
        <div className="form-grid">
          <label>
            Profile
            <select value={f.profile} onChange={(e) => f.setProfile(e.target.value)} disabled={brewing}>
              <option value={MACHINE_DEFAULT}>Machine default</option>
              {all.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <NumberField label="Dose (g)" min={5} max={30} step={0.1} value={f.dose} disabled={brewing} onChange={f.setDose} />
          <NumberField label="Target weight (g)" min={0} max={200} step={0.5} value={f.target} disabled={brewing} onChange={f.setTarget} />
          <NumberField
            label="Time limit (s, 0 = none)"
            min={0}
            max={120}
            step={1}
            value={f.timeLimit}
            disabled={brewing}
            onChange={f.setTimeLimit}
          />
          <p className="ratio" aria-live="polite">
            Ratio 1:{ratio.toFixed(1)}
          </p>
        </div>
        <div className="row">
          {brewing ? (
            <button type="button" className="primary stop" onClick={() => void run({ type: "stop_shot" })} disabled={busy}>
              Stop
            </button>
          ) : (
            <button type="button" className="primary" onClick={() => void start()} disabled={busy || !s?.ready}>
              Start shot
            </button>
          )}
          {!brewing && s && !s.ready && <span className="muted">{notReadyWhy(s)}</span>}
          {s && !brewing && <span className="muted">{stopWords(f.target, f.timeLimit, s.scale_connected)}</span>}
        </div>
        {s?.alarm === "scale_lost" && (
          <p className="error" role="alert">
            The scale went silent: this shot finishes on the volume of the weight still to come.
          </p>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
      <section className="card" aria-label="Live shot">
        <div className="row between">
          <h2>{brewing ? "Pulling" : trace.t.length > 0 ? "Last shot" : "Live shot"}</h2>
          {phaseName && <span className="phase">{phaseName}</span>}
        </div>
        <LiveNumbers />
        <ShotChart shot={trace} version={trace.version} label="Live shot chart: pressure, flow, weight and temperature over time" />
        {!brewing && lastShot && (
          <p>
            {grams(yieldG(lastShot))} in {seconds((lastShot.duration_ms ?? 0) / 1000)},{" "}
            {STOP_WORDS[lastShot.stop_reason ?? ""] ?? lastShot.stop_reason}. <Link href={`/history/${lastShot.id}`}>Open in history</Link>
          </p>
        )}
      </section>
    </div>
  );
}
