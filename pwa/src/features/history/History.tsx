/**
 * Shot history from the phone's copy (works offline), refreshed from the hub when it is reachable
 * and whenever the hub announces a new shot. Filters: text (beans, notes, grind), minimum rating,
 * how the shot ended.
 */
import type { ShotRecord } from "@brewos/protocol/api";
import { useLiveQuery } from "dexie-react-hooks";
import { useEffect, useMemo, useState } from "react";
import { Link } from "../../app/router.tsx";
import { dateTime, grams, STOP_WORDS, seconds, yieldG } from "../../shared/format.ts";
import { HubError } from "../../shared/hub-api.ts";
import { historyDb, putShot, refreshFromHub } from "./shot-cache.ts";
import { VirtualList } from "./VirtualList.tsx";

const ROW_PX = 72;

export function useHistoryRefresh(): string | null {
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const refresh = () =>
      refreshFromHub().then(
        () => setProblem(null),
        (e) => setProblem(e instanceof HubError ? e.message : String(e)),
      );
    void refresh();
    const onShot = (e: Event) => void putShot((e as CustomEvent<ShotRecord>).detail);
    window.addEventListener("brewos:shot-recorded", onShot);
    window.addEventListener("online", refresh);
    return () => {
      window.removeEventListener("brewos:shot-recorded", onShot);
      window.removeEventListener("online", refresh);
    };
  }, []);
  return problem;
}

function Stars({ n }: { n: number | null }) {
  if (!n) return null;
  return (
    <span>
      <span aria-hidden="true">{"★".repeat(n)}</span>
      <span className="sr-only">rated {n} of 5</span>
    </span>
  );
}

function Row({ s }: { s: ShotRecord }) {
  return (
    <Link href={`/history/${s.id}`} className="shot-row">
      <span className="when">{dateTime(s.started_at_ms)}</span>
      <span className="what">
        {grams(yieldG(s))} · {seconds((s.duration_ms ?? 0) / 1000, 0)}
        {s.dose_g ? ` · ${s.dose_g} g in` : ""}
        {s.status === "interrupted" ? " · interrupted" : ""}
      </span>
      <span className="muted small">
        {[s.beans, STOP_WORDS[s.stop_reason ?? ""]].filter(Boolean).join(" · ")} <Stars n={s.rating} />
      </span>
    </Link>
  );
}

export default function History() {
  const problem = useHistoryRefresh();
  const all = useLiveQuery(() => historyDb.shots.orderBy("started_at_ms").reverse().toArray(), []);
  const [text, setText] = useState("");
  const [minRating, setMinRating] = useState(0);
  const [ending, setEnding] = useState("");
  const shots = useMemo(() => {
    const q = text.trim().toLowerCase();
    return (all ?? []).filter(
      (s) =>
        (!q || [s.beans, s.notes, s.grind].some((v) => v?.toLowerCase().includes(q))) &&
        (minRating === 0 || (s.rating ?? 0) >= minRating) &&
        (!ending || s.stop_reason === ending),
    );
  }, [all, text, minRating, ending]);
  return (
    <div className="stack">
      <section className="card" aria-label="Filters">
        <h1>History</h1>
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
        {problem && <p className="muted small">Showing the shots saved on this device ({problem}).</p>}
        <p className="muted small" aria-live="polite">
          {all === undefined ? "Loading…" : `${shots.length} of ${all.length} shots`}
        </p>
      </section>
      {all !== undefined && all.length === 0 && <p className="muted">No shots yet. Pull one on the Brew screen.</p>}
      <VirtualList items={shots} rowHeight={ROW_PX} keyOf={(s) => s.id} render={(s) => <Row s={s} />} label="Shots, newest first" />
    </div>
  );
}
