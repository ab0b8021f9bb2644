/**
 * The shot just pulled, frozen after it ends: its chart with the target, the cup as it settled
 * (drips included — the number that matters, not the weight at the stop), ratio, time and how it
 * ended, and the notes right there to rate it and name the beans.
 */
import type { ShotRecord } from "@brewos/protocol/api";
import { useLiveQuery } from "dexie-react-hooks";
import { Link } from "../../app/router.tsx";
import type { ShotTrace } from "../../connection/machine-store.ts";
import { db } from "../../data/db.ts";
import { decimal, t } from "../../i18n/i18n.ts";
import { seconds, stopWords } from "../../shared/format.ts";
import { ShotChart } from "../../shared/ShotChart.tsx";
import { useUnits } from "../../shared/use-units.ts";
import { ShotNotes } from "../history/ShotNotes.tsx";

/** The cup: what a person entered, else the settled scale weight, else the weight at the stop (still settling). */
export function cupOf(s: ShotRecord): { g: number | null; settling: boolean } {
  if (s.yield_g !== null) return { g: s.yield_g, settling: false };
  if (s.settled_weight_g !== null) return { g: s.settled_weight_g, settling: false };
  return { g: s.final_weight_g, settling: s.final_weight_g !== null };
}

export function ShotResult({ shot, trace }: { shot: ShotRecord | null; trace: ShotTrace }) {
  const u = useUnits();
  const local = useLiveQuery(() => (shot ? db.shots.get(shot.id) : undefined), [shot?.id]);
  const cup = shot ? cupOf(shot) : { g: null, settling: false };
  const ratio = shot?.dose_g && cup.g ? `1:${decimal(cup.g / shot.dose_g, 1)}` : "–";
  const time = shot ? (shot.duration_ms ?? 0) / 1000 : (trace.t.at(-1) ?? null);
  return (
    <>
      <dl className="numbers">
        <div>
          <dt>{t("In the cup")}</dt>
          <dd className="big" data-testid="result-yield">
            {u.weight(cup.g)}
          </dd>
          {cup.settling && <dd className="muted small">{t("settling…")}</dd>}
        </div>
        <div>
          <dt>{t("Time")}</dt>
          <dd className="big" data-testid="result-time">
            {seconds(time)}
          </dd>
        </div>
        <div>
          <dt>{t("Ratio")}</dt>
          <dd className="big">{ratio}</dd>
        </div>
        <div>
          <dt>{t("Target")}</dt>
          <dd className="big">{u.weight(shot?.target_g ?? null)}</dd>
        </div>
      </dl>
      {trace.t.length > 0 && (!shot || trace.token === shot.shot_token) && (
        <ShotChart
          shot={trace}
          version={trace.version}
          targetWeightG={shot?.target_g ?? null}
          label={t("The last shot's chart: pressure, flow, weight and temperature over time")}
        />
      )}
      {shot && (
        <p>
          {t("Ended:")} <strong>{stopWords(shot.stop_reason) ?? shot.status}</strong>
          {shot.end_flags.includes("weight_lost") ? ` ${t("(the scale dropped out: finished on volume)")}` : ""}.{" "}
          <Link href={`/history/${shot.id}`}>{t("Open in history")}</Link>
        </p>
      )}
      {local ? <ShotNotes shot={local} /> : shot && <p className="muted small">{t("Notes open here once the shot reaches this phone.")}</p>}
    </>
  );
}
