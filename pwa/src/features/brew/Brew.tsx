/**
 * Brewing: the next shot's recipe (the hub's, shared with Home Assistant and the display), the
 * scale with tare, start and stop with the reason when a shot cannot start, the shot live (timer,
 * phase, pressure, flow, weight, temperature; the target and phase changes on the chart), and once
 * it ends the result frozen with the settled cup and the notes to rate it.
 */
import { startCommand } from "@brewos/protocol/api";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "../../app/router.tsx";
import { liveness, useMachine } from "../../connection/machine-store.ts";
import { t } from "../../i18n/i18n.ts";
import { alarmAdvice } from "../../shared/alarms.ts";
import { ErrorLine } from "../../shared/ErrorLine.tsx";
import { seconds } from "../../shared/format.ts";
import { HubError, hubApi } from "../../shared/hub-api.ts";
import { ShotChart } from "../../shared/ShotChart.tsx";
import { useCommand } from "../../shared/use-command.ts";
import { useUnits } from "../../shared/use-units.ts";
import { useProfiles } from "../profiles/use-profiles.ts";
import { Preinfusion } from "./Preinfusion.tsx";
import { RecipeForm } from "./RecipeForm.tsx";
import { ShotResult } from "./ShotResult.tsx";
import { useRecipe } from "./use-recipe.ts";

function LiveNumbers() {
  const s = useMachine((x) => x.snapshot);
  const u = useUnits();
  if (!s) return null;
  return (
    <dl className="numbers">
      <div>
        <dt>{t("Time")}</dt>
        <dd className="big" data-testid="shot-timer">
          {seconds(s.shot_elapsed_s ?? 0)}
        </dd>
      </div>
      <div>
        <dt>{t("Weight")}</dt>
        <dd className="big">{s.scale_connected ? u.weight(s.weight_g) : t("no scale")}</dd>
      </div>
      <div>
        <dt>{t("Pressure")}</dt>
        <dd className="big">{u.pressure(s.pressure_bar)}</dd>
      </div>
      <div>
        <dt>{t("Flow")}</dt>
        <dd className="big">{s.flow_ml_s.toFixed(1)} ml/s</dd>
      </div>
      <div>
        <dt>{t("Brew water")}</dt>
        <dd className="big">{u.temp(s.brew_c)}</dd>
      </div>
    </dl>
  );
}

/** Why a shot cannot start now, in words: a fault names itself, an unreachable machine says so. */
export function notReadyWhy(s: { ready: boolean; stale: boolean; state: string; alarm: string | null }): string {
  if (s.stale) return t("The machine is not answering, so no shot can start; the values shown are the last ones heard.");
  if (s.alarm && s.alarm !== "scale_lost")
    return t("Not while there is a fault: {title}. {action}", { title: alarmAdvice(s.alarm).title, action: alarmAdvice(s.alarm).action });
  if (s.state === "idle") return t("The machine is off: turn it on on the Machine screen.");
  return t("Waits for the machine to be ready.");
}

function Scale() {
  const s = useMachine((x) => x.snapshot);
  const u = useUnits();
  const [said, setSaid] = useState<string | null>(null);
  if (!s) return null;
  if (!s.scale_connected)
    return (
      <p className="muted small">
        {t("No scale connected: the shot stops on volume or time.")} <Link href="/scale">{t("Pair a scale")}</Link>
      </p>
    );
  return (
    <div className="row wrap">
      <span>
        {t("Scale")} <strong data-testid="scale-weight">{u.weight(s.weight_g)}</strong>
      </span>
      <button
        type="button"
        onClick={() =>
          void hubApi.tare().then(
            () => setSaid(null),
            (e: unknown) => setSaid(e instanceof HubError ? e.message : String(e)),
          )
        }
      >
        {t("Tare")}
      </button>
      {said && <span className="error small">{said}</span>}
    </div>
  );
}

export default function Brew() {
  const m = useMachine();
  const s = m.snapshot;
  const { recipe, change, note } = useRecipe();
  const profiles = useProfiles();
  // The last shot: as the hub announced it while this screen was open, else the newest on record.
  const newest = useQuery({ queryKey: ["latest-shot"], queryFn: () => hubApi.shots(1), enabled: m.lastShot === null });
  const lastShot = m.lastShot ?? newest.data?.shots[0] ?? null;
  const { run, busy, error } = useCommand();
  const brewing = s?.brewing ?? false;
  const live = liveness(m).live;
  const all = [...(profiles.data?.custom ?? []), ...(profiles.data?.bundled ?? [])];
  const chosen = all.find((p) => p.id === recipe.profile_id);
  const phaseName = s?.shot_phase !== null && s?.shot_phase !== undefined ? chosen?.phases[s.shot_phase]?.name : undefined;

  const start = () => run(startCommand(recipe));

  return (
    <div className="stack">
      <section className="card" aria-label={t("Next shot")}>
        <h1>{t("Brew")}</h1>
        <RecipeForm
          recipe={recipe}
          change={change}
          profiles={all}
          machine={s?.machine ?? null}
          scale={s?.scale_connected ?? false}
          disabled={brewing}
        />
        {note && (
          <p className="small" role="status">
            {note}
          </p>
        )}
        <Preinfusion profile={chosen ?? null} disabled={brewing} />
        <Scale />
        <div className="row wrap">
          {brewing ? (
            <button type="button" className="primary stop" onClick={() => void run({ type: "stop_shot" })} disabled={busy}>
              {t("Stop")}
            </button>
          ) : (
            <button type="button" className="primary" onClick={() => void start()} disabled={busy || !s?.ready || !live}>
              {t("Start shot")}
            </button>
          )}
          {!brewing && s && (!s.ready || !live) && <span className="muted">{live ? notReadyWhy(s) : liveness(m).why}</span>}
        </div>
        {s?.alarm === "scale_lost" && (
          <p className="error" role="alert">
            {t("The scale went silent: this shot finishes on the volume of the weight still to come.")}
          </p>
        )}
        <ErrorLine text={error} />
      </section>
      <section className="card" aria-label={brewing ? t("Live shot") : t("Last shot")}>
        <div className="row between">
          <h2>{brewing ? t("Pulling") : m.trace.t.length > 0 || lastShot ? t("Last shot") : t("Live")}</h2>
          {phaseName && <span className="phase">{phaseName}</span>}
        </div>
        {brewing || (m.trace.t.length === 0 && !lastShot) ? (
          <>
            <LiveNumbers />
            <ShotChart
              shot={m.trace}
              version={m.trace.version}
              targetWeightG={recipe.target_g}
              label={t("Live shot chart: pressure, flow, weight and temperature over time")}
            />
          </>
        ) : (
          <ShotResult shot={lastShot} trace={m.trace} />
        )}
      </section>
    </div>
  );
}
