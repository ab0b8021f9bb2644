/**
 * Logging a shot by hand (a borrowed machine, a café, a kitchen scale): saved on this device the
 * moment it is saved, and on the hub when it can be reached. With a scale on this phone it can be
 * timed there: the time, the cup and the weight curve come from the scale.
 */
import type { WeightCurve } from "@brewos/protocol/sync";
import { useState } from "react";
import { getSync } from "../../connection/connect.ts";
import { t } from "../../i18n/i18n.ts";
import { ScaleTimer } from "./ScaleTimer.tsx";

const num = (s: string): number | null => (s.trim() === "" ? null : Number(s));

function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function ManualShotForm({ onDone }: { onDone: () => void }) {
  const [when, setWhen] = useState(localInput(Date.now()));
  const [dose, setDose] = useState("18");
  const [cup, setCup] = useState("36");
  const [time, setTime] = useState("28");
  const [beans, setBeans] = useState("");
  const [grind, setGrind] = useState("");
  const [rating, setRating] = useState("");
  const [notes, setNotes] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [curve, setCurve] = useState<WeightCurve | null>(null);
  const save = async () => {
    const started = new Date(when).getTime();
    const secs = num(time);
    if (!Number.isFinite(started)) return setProblem(t("When: pick a date and time"));
    if (secs !== null && (secs < 0 || secs > 600)) return setProblem(t("Time: 0 to 600 s"));
    try {
      await (await getSync()).logManual(
        { started_at_ms: started, duration_ms: secs === null ? null : Math.round(secs * 1000), ...(curve ? { weight_curve: curve } : {}) },
        { dose_g: num(dose), yield_g: num(cup), beans: beans || null, grind: grind || null, rating: num(rating), notes: notes || null },
      );
      onDone();
    } catch (e) {
      setProblem(t("Not saved: {why}", { why: (e as Error).message }));
    }
  };
  return (
    <form
      className="manual"
      aria-label={t("Log a shot by hand")}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <ScaleTimer
        onDone={(r) => {
          setWhen(localInput(Date.now() - r.seconds * 1000));
          setTime(String(Math.round(r.seconds)));
          if (r.cup_g !== null) setCup(r.cup_g.toFixed(1));
          setCurve(r.curve.t_s.length > 0 ? r.curve : null);
        }}
      />
      {curve && (
        <p className="muted small">
          {t("The weight curve from the scale is saved with the shot ({n} readings).", { n: curve.t_s.length })}
        </p>
      )}
      <div className="form-grid">
        <label>
          {t("When")}
          <input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />
        </label>
        <label>
          {t("Dose (g)")}
          <input type="number" step={0.1} min={1} max={100} value={dose} onChange={(e) => setDose(e.target.value)} />
        </label>
        <label>
          {t("Yield (g)")}
          <input type="number" step={0.1} min={0} max={1000} value={cup} onChange={(e) => setCup(e.target.value)} />
        </label>
        <label>
          {t("Time (s)")}
          <input type="number" step={1} min={0} max={600} value={time} onChange={(e) => setTime(e.target.value)} />
        </label>
        <label>
          {t("Beans")}
          <input value={beans} maxLength={200} onChange={(e) => setBeans(e.target.value)} />
        </label>
        <label>
          {t("Grind")}
          <input value={grind} maxLength={100} onChange={(e) => setGrind(e.target.value)} />
        </label>
        <label>
          {t("Rating (1–5)")}
          <input type="number" min={1} max={5} value={rating} onChange={(e) => setRating(e.target.value)} />
        </label>
      </div>
      <label>
        {t("Tasting notes")}
        <textarea value={notes} rows={2} maxLength={4000} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <div className="row">
        <button type="submit" className="primary">
          {t("Save shot")}
        </button>
        {problem && (
          <span className="error" role="alert">
            {problem}
          </span>
        )}
      </div>
    </form>
  );
}
