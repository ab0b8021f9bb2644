/**
 * Logging a shot by hand (a borrowed machine, a café, a kitchen scale): saved on this device the
 * moment it is saved, and on the hub when it can be reached.
 */
import { useState } from "react";
import { getSync } from "../../connection/connect.ts";

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
  const save = async () => {
    const started = new Date(when).getTime();
    const t = num(time);
    if (!Number.isFinite(started)) return setProblem("When: pick a date and time");
    if (t !== null && (t < 0 || t > 600)) return setProblem("Time: 0 to 600 s");
    try {
      await (await getSync()).logManual(
        { started_at_ms: started, duration_ms: t === null ? null : Math.round(t * 1000) },
        { dose_g: num(dose), yield_g: num(cup), beans: beans || null, grind: grind || null, rating: num(rating), notes: notes || null },
      );
      onDone();
    } catch (e) {
      setProblem(`Not saved: ${(e as Error).message}`);
    }
  };
  return (
    <form
      className="manual"
      aria-label="Log a shot by hand"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="form-grid">
        <label>
          When
          <input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />
        </label>
        <label>
          Dose (g)
          <input type="number" step={0.1} min={1} max={100} value={dose} onChange={(e) => setDose(e.target.value)} />
        </label>
        <label>
          Yield (g)
          <input type="number" step={0.1} min={0} max={1000} value={cup} onChange={(e) => setCup(e.target.value)} />
        </label>
        <label>
          Time (s)
          <input type="number" step={1} min={0} max={600} value={time} onChange={(e) => setTime(e.target.value)} />
        </label>
        <label>
          Beans
          <input value={beans} maxLength={200} onChange={(e) => setBeans(e.target.value)} />
        </label>
        <label>
          Grind
          <input value={grind} maxLength={100} onChange={(e) => setGrind(e.target.value)} />
        </label>
        <label>
          Rating (1–5)
          <input type="number" min={1} max={5} value={rating} onChange={(e) => setRating(e.target.value)} />
        </label>
      </div>
      <label>
        Tasting notes
        <textarea value={notes} rows={2} maxLength={4000} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <div className="row">
        <button type="submit" className="primary">
          Save shot
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
