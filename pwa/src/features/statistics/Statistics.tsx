/**
 * Statistics from the hub: shots and brew time, energy used (heater duty × heater watts), the last
 * 30 days as bars, and maintenance — what is due, and a button to say it was done.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { t } from "../../i18n/i18n.ts";
import { useCachedQuery } from "../../shared/cached-query.ts";
import { ErrorLine } from "../../shared/ErrorLine.tsx";
import { age, dateTime, kwh, minutesSeconds } from "../../shared/format.ts";
import { HubError, hubApi } from "../../shared/hub-api.ts";

/** Room for the axes: the value scale on the left, the days along the bottom. */
const LEFT = 30;
const BOTTOM = 14;

function Bars({ label, unit, points }: { label: string; unit: string; points: { day: string; v: number }[] }) {
  const max = Math.max(1, ...points.map((p) => p.v));
  const w = 320;
  const h = 110;
  // Thirty days across, newest at the right, so a new machine's first days do not fill the width.
  const slots = Math.max(30, points.length);
  const bw = (w - LEFT) / slots;
  const x0 = LEFT + (slots - points.length) * bw;
  const base = h - BOTTOM;
  const top = 8;
  const first = points[0]?.day;
  const last = points.at(-1)?.day;
  return (
    <figure className="bars">
      <svg
        viewBox={`0 0 ${w} ${h}`}
        width="100%"
        height={h}
        role="img"
        aria-label={t("{label}, last {n} days", { label, n: points.length })}
      >
        {points.map((p, i) => {
          const bh = (p.v / max) * (base - top);
          return (
            <rect key={p.day} x={x0 + i * bw + 1} y={base - bh} width={Math.max(1, bw - 2)} height={bh} rx={2} fill="var(--accent)">
              <title>{`${p.day}: ${p.v} ${unit}`}</title>
            </rect>
          );
        })}
        <g fontSize={9} fill="currentColor" fillOpacity={0.7}>
          <line x1={LEFT} x2={w} y1={base} y2={base} stroke="currentColor" strokeOpacity={0.3} />
          <line x1={LEFT} x2={LEFT} y1={top} y2={base} stroke="currentColor" strokeOpacity={0.3} />
          <text x={LEFT - 3} y={top + 6} textAnchor="end">
            {Math.round(max)}
          </text>
          <text x={LEFT - 3} y={base} textAnchor="end">
            0
          </text>
          <text x={2} y={h / 2} fontSize={8}>
            {unit}
          </text>
          {first && (
            <text x={x0} y={h - 2}>
              {first.slice(5)}
            </text>
          )}
          {last && last !== first && (
            <text x={w} y={h - 2} textAnchor="end">
              {last.slice(5)}
            </text>
          )}
        </g>
      </svg>
      <figcaption className="muted small">
        {t("{label}: {unit} per day, dates as month-day (highest {max} {unit})", { label, unit, max })}
      </figcaption>
    </figure>
  );
}

const KIND_WORDS = (): Record<string, string> => ({ backflush: t("Backflush"), group_clean: t("Group clean"), descale: t("Descale") });

export default function Statistics() {
  const q = useCachedQuery("statistics", hubApi.statistics);
  const client = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  if (q.error && !q.fromPhone) return <p className="error">Statistics come from the hub: {(q.error as Error).message}</p>;
  if (!q.data) return <p className="muted">{t("Loading…")}</p>;
  const s = q.data;
  const done = async (kind: string) => {
    setProblem(null);
    try {
      await hubApi.maintenanceDone(kind);
      await client.invalidateQueries({ queryKey: ["statistics"] });
    } catch (e) {
      setProblem(e instanceof HubError ? e.message : String(e));
    }
  };
  return (
    <div className="stack">
      <section className="card" aria-label={t("Shots")}>
        <h1>{t("Statistics")}</h1>
        {q.fromPhone && (
          <p className="muted small" role="status">
            {t("Offline: as this phone last saw them, {age}.", { age: q.savedAt ? age(Date.now() - q.savedAt) : "–" })}
          </p>
        )}
        <dl className="numbers">
          <div>
            <dt>{t("Shots today")}</dt>
            <dd className="big">{s.shots.today}</dd>
          </div>
          <div>
            <dt>{t("Shots in all")}</dt>
            <dd className="big">{s.shots.total}</dd>
          </div>
          <div>
            <dt>{t("Average shot")}</dt>
            <dd className="big">{s.shots.average_shot_s === null ? "–" : `${s.shots.average_shot_s.toFixed(0)} s`}</dd>
          </div>
          <div>
            <dt>{t("Brewing in all")}</dt>
            <dd className="big">{minutesSeconds(s.shots.brew_time_total_s)}</dd>
          </div>
          <div>
            <dt>{t("Energy today")}</dt>
            <dd className="big">{kwh(s.energy.today_wh)}</dd>
          </div>
          <div>
            <dt>{t("Energy in all")}</dt>
            <dd className="big">{kwh(s.energy.total_wh)}</dd>
          </div>
        </dl>
        <Bars label={t("Shots per day")} unit={t("shots")} points={s.shots.by_day.map((d) => ({ day: d.day, v: d.shots }))} />
        <Bars label={t("Energy per day")} unit="Wh" points={s.energy.by_day.map((d) => ({ day: d.day, v: d.wh }))} />
      </section>
      <section className="card" aria-label={t("Maintenance")}>
        <h2>{t("Maintenance")}</h2>
        <ul className="maintenance">
          {s.maintenance.map((m) => (
            <li key={m.kind}>
              <div>
                <strong>{KIND_WORDS()[m.kind] ?? m.kind}</strong>{" "}
                {m.due ? (
                  <span className="error">
                    {t("due")}
                    {m.reason ? ` (${m.reason})` : ""}
                  </span>
                ) : null}
                <div className="muted small">
                  {m.last_done_at_ms
                    ? t("{n} shots since the last one ({when})", { n: m.shots_since, when: dateTime(m.last_done_at_ms) })
                    : t("{n} shots since the start", { n: m.shots_since })}
                </div>
              </div>
              <button type="button" onClick={() => void done(m.kind)}>
                {t("Done now")}
              </button>
            </li>
          ))}
        </ul>
        <ErrorLine text={problem} />
      </section>
    </div>
  );
}
