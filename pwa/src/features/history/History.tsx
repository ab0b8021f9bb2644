/**
 * Shot history from this device's own log (IndexedDB): it opens with no network, and the sync with
 * the hub fills it in and carries edits both ways. Filters: text (beans, notes, grind), minimum
 * rating, how the shot ended. Shots can also be logged by hand here (no machine needed).
 */
import { useLiveQuery } from "dexie-react-hooks";
import { useMemo, useState } from "react";
import { Link } from "../../app/router.tsx";
import { useMachine } from "../../connection/machine-store.ts";
import { db, type LocalShot } from "../../data/db.ts";
import { yieldOf } from "../../data/samples.ts";
import { dateTime, STOP_WORDS, seconds } from "../../shared/format.ts";
import { useUnits } from "../../shared/preferences.ts";
import { daysOffRoast, daysOffRoastWords } from "../beans/beans.ts";
import { BackupButtons } from "./BackupButtons.tsx";
import { ManualShotForm } from "./ManualShotForm.tsx";
import { VirtualList } from "./VirtualList.tsx";

const ROW_PX = 84;

const SYNC_WORDS = {
  idle: "Not synced yet",
  syncing: "Syncing with the hub…",
  synced: "In sync with the hub",
  offline: "Offline: changes are kept on this device and sync when the hub is back",
  error: "Sync problem",
};

function Stars({ n }: { n: number | null }) {
  if (!n) return null;
  return (
    <span>
      <span aria-hidden="true">{"★".repeat(n)}</span>
      <span className="sr-only">rated {n} of 5</span>
    </span>
  );
}

function Row({ s, roastDates }: { s: LocalShot; roastDates: Map<string, string | null> }) {
  const u = useUnits();
  const offRoast = s.values.bean_id ? daysOffRoastWords(daysOffRoast(roastDates.get(s.values.bean_id) ?? null, s.started_at_ms)) : null;
  return (
    <Link href={`/history/${s.id}`} className="shot-row">
      <span className="when">{dateTime(s.started_at_ms)}</span>
      <Stars n={s.values.rating} />
      <span className="what">
        {u.weight(yieldOf(s))} · {seconds((s.duration_ms ?? 0) / 1000, 0)}
        {s.values.dose_g ? ` · ${u.weight(s.values.dose_g)} in` : ""}
        {s.status === "interrupted" ? " · interrupted" : ""}
        {s.source === "manual" ? " · by hand" : ""}
      </span>
      <span className="muted small">{[s.values.beans, offRoast, STOP_WORDS[s.stop_reason ?? ""]].filter(Boolean).join(" · ")}</span>
    </Link>
  );
}

export default function History() {
  const all = useLiveQuery(
    () =>
      db.shots
        .orderBy("started_at_ms")
        .reverse()
        .filter((s) => !s.values.deleted)
        .toArray(),
    [],
  );
  const pending = useLiveQuery(() => db.outbox.count(), [], 0);
  const beanRows = useLiveQuery(() => db.beans.toArray(), [], []);
  const roastDates = useMemo(() => new Map(beanRows.map((b) => [b.id, b.values.roast_date])), [beanRows]);
  const syncStatus = useMachine((m) => m.syncStatus);
  const syncDetail = useMachine((m) => m.syncDetail);
  const [text, setText] = useState("");
  const [minRating, setMinRating] = useState(0);
  const [ending, setEnding] = useState("");
  const [logging, setLogging] = useState(false);
  const shots = useMemo(() => {
    const q = text.trim().toLowerCase();
    return (all ?? []).filter(
      (s) =>
        (!q || [s.values.beans, s.values.notes, s.values.grind].some((v) => v?.toLowerCase().includes(q))) &&
        (minRating === 0 || (s.values.rating ?? 0) >= minRating) &&
        (!ending || s.stop_reason === ending),
    );
  }, [all, text, minRating, ending]);
  return (
    <div className="stack">
      <section className="card" aria-label="Filters">
        <div className="row between">
          <h1>History</h1>
          <span className="row wrap">
            <Link href="/beans">Beans</Link>
            <button type="button" onClick={() => setLogging(!logging)} aria-expanded={logging}>
              Log a shot
            </button>
          </span>
        </div>
        {logging && <ManualShotForm onDone={() => setLogging(false)} />}
        <BackupButtons />
        <div className="form-grid">
          <label>
            Search
            <input type="search" value={text} placeholder="beans, notes, grind" onChange={(e) => setText(e.target.value)} />
          </label>
          <label>
            Rating at least
            <select value={minRating} onChange={(e) => setMinRating(Number(e.target.value))}>
              <option value={0}>any</option>
              {[1, 2, 3, 4, 5].map((n) => (
                <option key={n} value={n}>
                  {n} ★
                </option>
              ))}
            </select>
          </label>
          <label>
            Ended by
            <select value={ending} onChange={(e) => setEnding(e.target.value)}>
              <option value="">anything</option>
              {Object.entries(STOP_WORDS).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="muted small" role="status">
          {SYNC_WORDS[syncStatus]}
          {syncStatus === "error" && syncDetail ? `: ${syncDetail}` : ""}
          {pending > 0 ? ` · ${pending} change${pending > 1 ? "s" : ""} waiting for the hub` : ""}
        </p>
        <p className="muted small" aria-live="polite">
          {all === undefined ? "Loading…" : `${shots.length} of ${all.length} shots`}
        </p>
      </section>
      {all !== undefined && all.length === 0 && <p className="muted">No shots yet. Pull one on the Brew screen, or log one by hand.</p>}
      <VirtualList
        items={shots}
        rowHeight={ROW_PX}
        keyOf={(s) => s.id}
        render={(s) => <Row s={s} roastDates={roastDates} />}
        label="Shots, newest first"
      />
    </div>
  );
}
