/**
 * One shot: its chart, summary and how it ended; notes, rating, beans and grind to edit; another
 * shot to compare on the same chart; export as JSON, CSV or for visualizer.coffee.
 */
import type { SampleRow, ShotRecord } from "@brewos/protocol/api";
import { useQuery } from "@tanstack/react-query";
import { useLiveQuery } from "dexie-react-hooks";
import { useEffect, useState } from "react";
import { Link } from "../../app/router.tsx";
import { dateTime, grams, STOP_WORDS, seconds, temp, yieldG } from "../../shared/format.ts";
import { HubError, hubApi } from "../../shared/hub-api.ts";
import { pendingEdits } from "../../shared/pending-edits.ts";
import { usePreferences } from "../../shared/preferences.ts";
import { ShotChart, type ShotSeries } from "../../shared/ShotChart.tsx";
import { historyDb, putShot, samplesFor } from "./shot-cache.ts";

function series(rows: SampleRow[]): ShotSeries {
  return {
    t: rows.map((r) => r.t_s),
    pressure: rows.map((r) => r.pressure_bar),
    flow: rows.map((r) => r.flow_ml_s),
    weight: rows.map((r) => r.weight_g),
    temp: rows.map((r) => r.brew_c),
  };
}

function useShotSeries(id: string | null) {
  return useQuery({
    queryKey: ["samples", id],
    queryFn: () => samplesFor(id as string).then(series),
    enabled: id !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

function Annotations({ shot }: { shot: ShotRecord }) {
  const [notes, setNotes] = useState(shot.notes ?? "");
  const [beans, setBeans] = useState(shot.beans ?? "");
  const [grind, setGrind] = useState(shot.grind ?? "");
  const [rating, setRating] = useState(shot.rating ?? 0);
  const [dose, setDose] = useState(shot.dose_g === null ? "" : String(shot.dose_g));
  const [cup, setCup] = useState(shot.yield_g === null ? "" : String(shot.yield_g));
  const [state, setState] = useState<{ kind: "idle" | "saving" | "saved" | "error"; text?: string }>({ kind: "idle" });
  useEffect(() => {
    setNotes(shot.notes ?? "");
    setBeans(shot.beans ?? "");
    setGrind(shot.grind ?? "");
    setRating(shot.rating ?? 0);
    setDose(shot.dose_g === null ? "" : String(shot.dose_g));
    setCup(shot.yield_g === null ? "" : String(shot.yield_g));
  }, [shot.notes, shot.beans, shot.grind, shot.rating, shot.dose_g, shot.yield_g]);
  const save = async () => {
    setState({ kind: "saving" });
    try {
      const updated = await pendingEdits.track(
        hubApi.annotate(shot.id, {
          notes: notes || null,
          beans: beans || null,
          grind: grind || null,
          rating: rating || null,
          dose_g: dose.trim() === "" ? null : Number(dose),
          yield_g: cup.trim() === "" ? null : Number(cup),
        }),
      );
      await putShot(updated);
      setState({ kind: "saved" });
    } catch (e) {
      const why =
        e instanceof HubError ? (e.issues.length ? e.issues.map((i) => `${i.path}: ${i.message}`).join("; ") : e.message) : String(e);
      setState({ kind: "error", text: `Not saved: ${why}` });
    }
  };
  return (
    <form
      className="card"
      aria-label="Your notes"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>Your notes</h2>
      <fieldset className="rating">
        <legend>Rating</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            aria-pressed={rating >= n}
            aria-label={`${n} star${n > 1 ? "s" : ""}`}
            onClick={() => setRating(rating === n ? 0 : n)}
          >
            ★
          </button>
        ))}
      </fieldset>
      <div className="form-grid">
        <label>
          Beans
          <input value={beans} maxLength={200} onChange={(e) => setBeans(e.target.value)} />
        </label>
        <label>
          Grind
          <input value={grind} maxLength={100} onChange={(e) => setGrind(e.target.value)} />
        </label>
        <label>
          Dose (g)
          <input type="number" inputMode="decimal" step={0.1} min={1} max={100} value={dose} onChange={(e) => setDose(e.target.value)} />
        </label>
        <label>
          Yield (g{shot.settled_weight_g !== null ? `, scale said ${shot.settled_weight_g}` : ""})
          <input
            type="number"
            inputMode="decimal"
            step={0.1}
            min={0}
            max={1000}
            value={cup}
            placeholder={String(yieldG({ ...shot, yield_g: null }) ?? "")}
            onChange={(e) => setCup(e.target.value)}
          />
        </label>
      </div>
      <label>
        Notes
        <textarea value={notes} maxLength={4000} rows={3} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={state.kind === "saving"}>
          Save
        </button>
        <span aria-live="polite" className={state.kind === "error" ? "error" : "muted"}>
          {state.kind === "saving" ? "Saving…" : state.kind === "saved" ? "Saved" : state.text}
        </span>
      </div>
    </form>
  );
}

export default function ShotDetail({ id }: { id: string }) {
  const unit = usePreferences((p) => p.unit);
  const cached = useLiveQuery(() => historyDb.shots.get(id), [id]);
  const fromHub = useQuery({ queryKey: ["shot", id], queryFn: () => hubApi.shot(id), enabled: cached === undefined });
  const shot = cached ?? fromHub.data;
  const recent = useLiveQuery(() => historyDb.shots.orderBy("started_at_ms").reverse().limit(50).toArray(), []);
  const [compareId, setCompareId] = useState<string>("");
  const samples = useShotSeries(shot ? id : null);
  const other = useShotSeries(compareId || null);
  if (!shot) {
    return (
      <p className="muted">
        {fromHub.error
          ? `This shot is not on this device and the hub cannot be reached (${(fromHub.error as Error).message}).`
          : "Loading…"}
      </p>
    );
  }
  const cup = yieldG(shot);
  const ratio = shot.dose_g && cup ? `1:${(cup / shot.dose_g).toFixed(1)}` : "–";
  return (
    <div className="stack">
      <p>
        <Link href="/history">← History</Link>
      </p>
      <section className="card" aria-label="Shot">
        <h1>{dateTime(shot.started_at_ms)}</h1>
        <dl className="numbers">
          <div>
            <dt>Yield</dt>
            <dd className="big">{grams(yieldG(shot))}</dd>
          </div>
          <div>
            <dt>Time</dt>
            <dd className="big">{seconds((shot.duration_ms ?? 0) / 1000)}</dd>
          </div>
          <div>
            <dt>Dose</dt>
            <dd className="big">{grams(shot.dose_g)}</dd>
          </div>
          <div>
            <dt>Ratio</dt>
            <dd className="big">{ratio}</dd>
          </div>
          <div>
            <dt>Peak pressure</dt>
            <dd className="big">{shot.max_pressure_bar?.toFixed(1) ?? "–"} bar</dd>
          </div>
          <div>
            <dt>Mean brew water</dt>
            <dd className="big">{temp(shot.mean_brew_c, unit)}</dd>
          </div>
        </dl>
        <p>
          Ended: <strong>{STOP_WORDS[shot.stop_reason ?? ""] ?? shot.stop_reason ?? shot.status}</strong>
          {shot.end_flags.includes("weight_lost") ? " (the scale dropped out during the shot)" : ""}
          {shot.status === "interrupted" ? " — the hub stopped mid-shot; what was recorded is kept" : ""}
        </p>
        {samples.data ? (
          <ShotChart
            shot={samples.data}
            {...(other.data ? { compare: other.data } : {})}
            label="Shot chart: pressure, flow, weight and temperature over time"
          />
        ) : (
          <p className="muted">
            {samples.error
              ? `Chart unavailable offline until it was opened once online (${(samples.error as Error).message}).`
              : "Loading chart…"}
          </p>
        )}
        <label>
          Compare with
          <select value={compareId} onChange={(e) => setCompareId(e.target.value)}>
            <option value="">no other shot</option>
            {recent
              ?.filter((s) => s.id !== id)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {dateTime(s.started_at_ms)} · {grams(yieldG(s))}
                </option>
              ))}
          </select>
        </label>
        <p className="row wrap">
          Export:
          <a href={hubApi.exportUrl(id, "json")} download>
            JSON
          </a>
          <a href={hubApi.exportUrl(id, "csv")} download>
            CSV
          </a>
          <a href={hubApi.exportUrl(id, "visualizer")} download>
            Visualizer
          </a>
        </p>
      </section>
      <Annotations shot={shot} />
    </div>
  );
}
