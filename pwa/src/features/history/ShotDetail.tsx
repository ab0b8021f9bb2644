/**
 * One shot: its chart, summary and how it ended; notes, rating, beans, grind, dose and yield to
 * edit (saved on this device at once, carried to the hub by sync); delete and undo; another shot
 * to compare on the same chart; export as JSON, CSV or for visualizer.coffee.
 */
import { type SampleRow, SHOT_EXPORT_FORMATS, type ShotExportFormat } from "@brewos/protocol/api";
import type { WeightCurve } from "@brewos/protocol/sync";
import { useQuery } from "@tanstack/react-query";
import { useLiveQuery } from "dexie-react-hooks";
import { useState } from "react";
import { Link } from "../../app/router.tsx";
import { getSync } from "../../connection/connect.ts";
import { db, type LocalShot } from "../../data/db.ts";
import { samplesFor, yieldOf } from "../../data/samples.ts";
import { decimal, t } from "../../i18n/i18n.ts";
import { dateTime, seconds, stopWords } from "../../shared/format.ts";
import { hubApi } from "../../shared/hub-api.ts";
import { ShotChart, type ShotSeries } from "../../shared/ShotChart.tsx";
import { useUnits } from "../../shared/use-units.ts";
import { CompareTable } from "./CompareTable.tsx";
import { ShotNotes } from "./ShotNotes.tsx";

/** What each export is for, in the words on its button. */
const EXPORT_NAMES: Record<ShotExportFormat, string> = {
  json: "JSON",
  csv: "CSV",
  visualizer: "Visualizer",
  "visualizer-csv": "Visualizer CSV",
  beanconqueror: "Beanconqueror",
};

/** A hand-logged shot timed with the phone's scale: its weight, nothing else. */
function curveSeries(c: WeightCurve): ShotSeries {
  const none = c.t_s.map(() => null);
  return { t: c.t_s, pressure: none, flow: none, weight: c.g, temp: none };
}

function series(rows: SampleRow[]): ShotSeries {
  return {
    t: rows.map((r) => r.t_s),
    pressure: rows.map((r) => r.pressure_bar),
    flow: rows.map((r) => r.flow_ml_s),
    weight: rows.map((r) => r.weight_g),
    temp: rows.map((r) => r.brew_c),
  };
}

function useShotSeries(id: string | null, hasSamples: boolean) {
  return useQuery({
    queryKey: ["samples", id],
    queryFn: () => samplesFor(id as string).then(series),
    enabled: id !== null && hasSamples,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export default function ShotDetail({ id }: { id: string }) {
  const u = useUnits();
  const shot = useLiveQuery(() => db.shots.get(id), [id], null as LocalShot | null | undefined);
  const recent = useLiveQuery(
    () =>
      db.shots
        .orderBy("started_at_ms")
        .reverse()
        .filter((s) => !s.values.deleted)
        .limit(50)
        .toArray(),
    [],
  );
  const [compareId, setCompareId] = useState<string>("");
  const samples = useShotSeries(shot ? id : null, (shot?.sample_count ?? 0) > 0);
  const other = useShotSeries(compareId || null, true);
  const otherShot = recent?.find((s) => s.id === compareId) ?? null;
  if (shot === null) return <p className="muted">{t("Loading…")}</p>;
  if (!shot) return <p className="muted">{t("This shot is not on this device (yet). It arrives with the next sync.")}</p>;
  const cup = yieldOf(shot);
  const ratio = shot.values.dose_g && cup ? `1:${decimal(cup / shot.values.dose_g, 1)}` : "–";
  return (
    <div className="stack">
      <p>
        <Link href="/history">← {t("History")}</Link>
      </p>
      <section className="card" aria-label={t("Shot")}>
        <h1>{dateTime(shot.started_at_ms)}</h1>
        {shot.values.deleted && (
          <p className="error" role="status">
            {t("Deleted.")}{" "}
            <button type="button" onClick={() => void getSync().then((e) => e.edit(shot.id, { deleted: false }))}>
              {t("Undo")}
            </button>
          </p>
        )}
        <dl className="numbers">
          <div>
            <dt>{t("Yield")}</dt>
            <dd className="big">{u.weight(cup)}</dd>
          </div>
          <div>
            <dt>{t("Time")}</dt>
            <dd className="big">{seconds((shot.duration_ms ?? 0) / 1000)}</dd>
          </div>
          <div>
            <dt>{t("Dose")}</dt>
            <dd className="big">{u.weight(shot.values.dose_g)}</dd>
          </div>
          <div>
            <dt>{t("Ratio")}</dt>
            <dd className="big">{ratio}</dd>
          </div>
          <div>
            <dt>{t("Peak pressure")}</dt>
            <dd className="big">{u.pressure(shot.max_pressure_bar)}</dd>
          </div>
          <div>
            <dt>{t("Mean brew water")}</dt>
            <dd className="big">{u.temp(shot.mean_brew_c)}</dd>
          </div>
        </dl>
        <p>
          {t("Ended:")} <strong>{shot.source === "manual" ? t("logged by hand") : (stopWords(shot.stop_reason) ?? shot.status)}</strong>
          {shot.end_flags.includes("weight_lost") ? ` ${t("(the scale dropped out during the shot)")}` : ""}
          {shot.end_flags.includes("start_lost")
            ? ` ${t("(its start was not heard on the link: recorded from the first samples that were)")}`
            : ""}
          {shot.end_flags.includes("end_lost") ? ` ${t("(its end was not heard on the link: closed from the last samples)")}` : ""}
          {shot.status === "interrupted" ? ` ${t("— the hub stopped mid-shot; what was recorded is kept")}` : ""}
        </p>
        {shot.sample_count === 0 && shot.weight_curve ? (
          <ShotChart
            shot={curveSeries(shot.weight_curve)}
            zoom
            label={t("Shot chart: the weight in the cup over time, from this phone's scale")}
          />
        ) : shot.sample_count === 0 ? (
          <p className="muted">
            {shot.source === "manual" ? t("No curves: this shot was logged by hand.") : t("No curves: nothing was recorded.")}
          </p>
        ) : samples.data ? (
          <ShotChart
            shot={samples.data}
            {...(other.data ? { compare: other.data } : {})}
            names={[t("this shot"), otherShot ? dateTime(otherShot.started_at_ms) : t("other")]}
            targetWeightG={shot.target_g}
            zoom
            label={t("Shot chart: pressure, flow, weight and temperature over time")}
          />
        ) : (
          <p className="muted">
            {samples.error
              ? t("The chart needs the hub the first time it is opened ({why}).", { why: (samples.error as Error).message })
              : t("Loading chart…")}
          </p>
        )}
        <label>
          {t("Compare with")}
          <select value={compareId} onChange={(e) => setCompareId(e.target.value)}>
            <option value="">{t("no other shot")}</option>
            {recent
              ?.filter((s) => s.id !== id && s.sample_count > 0)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {dateTime(s.started_at_ms)} · {u.weight(yieldOf(s))}
                </option>
              ))}
          </select>
        </label>
        {otherShot && <CompareTable a={shot} b={otherShot} names={[t("This shot"), dateTime(otherShot.started_at_ms)]} />}
        {samples.data && <p className="muted small">{t("Drag across the chart to zoom in; double-click to see the whole shot.")}</p>}
        <p className="row wrap">
          {t("Export:")}
          {SHOT_EXPORT_FORMATS.map((f) => (
            <button
              key={f}
              type="button"
              className="quiet"
              onClick={() => void hubApi.exportShot(id, f).catch((e: Error) => alert(e.message))}
            >
              {EXPORT_NAMES[f]}
            </button>
          ))}
          {!shot.values.deleted && (
            <button type="button" className="quiet" onClick={() => void getSync().then((e) => e.edit(shot.id, { deleted: true }))}>
              {t("Delete shot")}
            </button>
          )}
        </p>
      </section>
      <ShotNotes shot={shot} />
    </div>
  );
}
