/**
 * Shot history from this device's own log (IndexedDB): it opens with no network, and the sync with
 * the hub fills it in and carries edits both ways. Filters: text (beans, notes, grind), minimum
 * rating, how the shot ended. Shots can also be logged by hand here (no machine needed).
 */
import "./history.css";
import { useLiveQuery } from "dexie-react-hooks";
import { useMemo, useState } from "react";
import { Link } from "../../app/router.tsx";
import { useMachine } from "../../connection/machine-store.ts";
import { db, type LocalShot } from "../../data/db.ts";
import { yieldOf } from "../../data/samples.ts";
import { t } from "../../i18n/i18n.ts";
import { dateTime, STOP_WORDS, seconds, stopWords } from "../../shared/format.ts";
import { useUnits } from "../../shared/use-units.ts";
import { daysOffRoast, daysOffRoastWords } from "../beans/beans.ts";
import { BackupButtons } from "./BackupButtons.tsx";
import { ManualShotForm } from "./ManualShotForm.tsx";
import { VirtualList } from "./VirtualList.tsx";

const ROW_PX = 84;

const SYNC_WORDS = () => ({
  idle: t("Not synced yet"),
  syncing: t("Syncing with the hub…"),
  synced: t("In sync with the hub"),
  offline: t("Offline: changes are kept on this device and sync when the hub is back"),
  error: t("Sync problem"),
});

function Stars({ n }: { n: number | null }) {
  if (!n) return null;
  return (
    <span>
      <span aria-hidden="true">{"★".repeat(n)}</span>
      <span className="sr-only">{t("rated {n} of 5", { n })}</span>
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
        {s.values.dose_g ? ` · ${t("{w} in", { w: u.weight(s.values.dose_g) })}` : ""}
        {s.status === "interrupted" ? ` · ${t("interrupted")}` : ""}
        {s.source === "manual" ? ` · ${t("by hand")}` : ""}
      </span>
      <span className="muted small">{[s.values.beans, offRoast, stopWords(s.stop_reason)].filter(Boolean).join(" · ")}</span>
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
      <section className="card" aria-label={t("Filters")}>
        <div className="row between">
          <h1>{t("History")}</h1>
          <span className="row wrap">
            <Link href="/beans">{t("Beans")}</Link>
            <button type="button" onClick={() => setLogging(!logging)} aria-expanded={logging}>
              {t("Log a shot")}
            </button>
          </span>
        </div>
        {logging && <ManualShotForm onDone={() => setLogging(false)} />}
        <BackupButtons />
        <div className="form-grid">
          <label>
            {t("Search")}
            <input type="search" value={text} placeholder={t("beans, notes, grind")} onChange={(e) => setText(e.target.value)} />
          </label>
          <label>
            {t("Rating at least")}
            <select value={minRating} onChange={(e) => setMinRating(Number(e.target.value))}>
              <option value={0}>{t("any")}</option>
              {[1, 2, 3, 4, 5].map((n) => (
                <option key={n} value={n}>
                  {n} ★
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("Ended by")}
            <select value={ending} onChange={(e) => setEnding(e.target.value)}>
              <option value="">{t("anything")}</option>
              {Object.keys(STOP_WORDS).map((k) => (
                <option key={k} value={k}>
                  {stopWords(k)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="muted small" role="status">
          {SYNC_WORDS()[syncStatus]}
          {syncStatus === "error" && syncDetail ? `: ${syncDetail}` : ""}
          {pending > 0
            ? ` · ${pending > 1 ? t("{n} changes waiting for the hub", { n: pending }) : t("1 change waiting for the hub")}`
            : ""}
        </p>
        <p className="muted small" aria-live="polite">
          {all === undefined ? t("Loading…") : t("{n} of {total} shots", { n: shots.length, total: all.length })}
        </p>
      </section>
      {all !== undefined && all.length === 0 && (
        <p className="muted">{t("No shots yet. Pull one on the Brew screen, or log one by hand.")}</p>
      )}
      <VirtualList
        items={shots}
        rowHeight={ROW_PX}
        keyOf={(s) => s.id}
        render={(s) => <Row s={s} roastDates={roastDates} />}
        label={t("Shots, newest first")}
      />
    </div>
  );
}
