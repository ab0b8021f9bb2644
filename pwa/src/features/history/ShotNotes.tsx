/**
 * Your notes on a shot — rating, beans, grind, dose, yield, notes — saved on this device at once
 * and carried to the hub by sync (only the fields changed get a new clock). Used by the shot's page
 * and by Brew right after the shot.
 */
import "./history.css";
import { useLiveQuery } from "dexie-react-hooks";
import { useEffect, useState } from "react";
import { getSync } from "../../connection/connect.ts";
import { db, type LocalShot } from "../../data/db.ts";
import { decimal, t } from "../../i18n/i18n.ts";
import { beanLabel, daysOffRoast, daysOffRoastWords } from "../beans/beans.ts";

const text = (v: number | null) => (v === null ? "" : String(v));
const num = (s: string): number | null => (s.trim() === "" ? null : Number(s));

export function ShotNotes({ shot }: { shot: LocalShot }) {
  const v = shot.values;
  const [notes, setNotes] = useState(v.notes ?? "");
  const [beans, setBeans] = useState(v.beans ?? "");
  const [grind, setGrind] = useState(v.grind ?? "");
  const [rating, setRating] = useState(v.rating ?? 0);
  const [dose, setDose] = useState(text(v.dose_g));
  const [cup, setCup] = useState(text(v.yield_g));
  const [beanId, setBeanId] = useState<string | null>(v.bean_id ?? null);
  const [state, setStateText] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const setState = (text: string, ok = false) => {
    setStateText(text);
    setSaved(ok);
  };
  const library = useLiveQuery(() => db.beans.filter((b) => !b.values.deleted).toArray(), [], []);
  const bean = library.find((b) => b.id === beanId) ?? null;
  const offRoast = bean ? daysOffRoastWords(daysOffRoast(bean.values.roast_date, shot.started_at_ms)) : null;
  const waiting = useLiveQuery(() => db.outbox.where("shot_id").equals(shot.id).count(), [shot.id], 0);
  useEffect(() => {
    setNotes(v.notes ?? "");
    setBeans(v.beans ?? "");
    setGrind(v.grind ?? "");
    setRating(v.rating ?? 0);
    setDose(text(v.dose_g));
    setCup(text(v.yield_g));
    setBeanId(v.bean_id ?? null);
  }, [v.notes, v.beans, v.grind, v.rating, v.dose_g, v.yield_g, v.bean_id]);
  const save = async () => {
    const d = num(dose);
    const y = num(cup);
    if (d !== null && (d < 1 || d > 100)) return setState(t("Not saved: dose is 1 to 100 g"));
    if (y !== null && (y < 0 || y > 1000)) return setState(t("Not saved: yield is 0 to 1000 g"));
    // Only the fields this person changed get a new clock, so a concurrent edit of another field
    // on another phone is kept (per-field last writer wins).
    const next = {
      notes: notes || null,
      beans: beans || null,
      grind: grind || null,
      rating: rating || null,
      dose_g: d,
      yield_g: y,
      bean_id: beanId,
    };
    const changed = Object.fromEntries(Object.entries(next).filter(([k, val]) => v[k as keyof typeof v] !== val));
    try {
      const sync = await getSync();
      if (Object.keys(changed).length > 0) await sync.edit(shot.id, changed);
      // The grinder setting is remembered with the bean, for the next shot of it.
      if (bean && grind && grind !== bean.values.grind_setting) await sync.editBean(bean.id, { grind_setting: grind });
      setState(t("Saved"), true);
    } catch (e) {
      setState(t("Not saved: {why}", { why: (e as Error).message }));
    }
  };
  return (
    <form
      className="card"
      aria-label={t("Your notes")}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>{t("Your notes")}</h2>
      <fieldset className="rating">
        <legend>{t("Rating")}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            aria-pressed={rating >= n}
            aria-label={n > 1 ? t("{n} stars", { n }) : t("1 star")}
            onClick={() => setRating(rating === n ? 0 : n)}
          >
            ★
          </button>
        ))}
      </fieldset>
      <div className="form-grid">
        {library.length > 0 && (
          <label>
            {t("From your beans")}
            <select
              value={beanId ?? ""}
              onChange={(e) => {
                const b = library.find((x) => x.id === e.target.value) ?? null;
                setBeanId(b?.id ?? null);
                if (b) {
                  setBeans(beanLabel(b.values));
                  if (!grind && b.values.grind_setting) setGrind(b.values.grind_setting);
                }
              }}
            >
              <option value="">{t("not from the library")}</option>
              {library.map((b) => (
                <option key={b.id} value={b.id}>
                  {beanLabel(b.values)}
                </option>
              ))}
            </select>
            {offRoast && <span className="muted small">{t("{age} when pulled", { age: offRoast })}</span>}
          </label>
        )}
        <label>
          {t("Beans")}
          <input value={beans} maxLength={200} onChange={(e) => setBeans(e.target.value)} />
        </label>
        <label>
          {t("Grind")}
          <input value={grind} maxLength={100} onChange={(e) => setGrind(e.target.value)} />
        </label>
        <label>
          {t("Dose (g)")}
          <input type="number" inputMode="decimal" step={0.1} min={1} max={100} value={dose} onChange={(e) => setDose(e.target.value)} />
        </label>
        <label>
          {shot.settled_weight_g !== null ? t("Yield (g, scale said {w})", { w: decimal(shot.settled_weight_g, 1) }) : t("Yield (g)")}
          <input type="number" inputMode="decimal" step={0.1} min={0} max={1000} value={cup} onChange={(e) => setCup(e.target.value)} />
        </label>
      </div>
      <label>
        {t("Notes")}
        <textarea value={notes} maxLength={4000} rows={3} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <div className="row wrap">
        <button type="submit" className="primary">
          {t("Save")}
        </button>
        <span role="status" className={state && !saved ? "error" : "muted"}>
          {state}
        </span>
        <span className="muted small">
          {waiting > 0 ? t("on this device; reaches the hub when it can") : saved ? t("and on the hub") : ""}
        </span>
      </div>
    </form>
  );
}
