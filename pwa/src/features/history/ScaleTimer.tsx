/**
 * Timing a hand-logged shot with the scale this phone holds: tare (confirmed by a zero reading),
 * then the clock runs from that zero and every reading is kept as the shot's weight curve; Stop
 * hands the time, the cup weight and the curve to the form. Times are the readings' own (the
 * scale's pace, not the screen's). At 10 minutes or 6000 points it stops by itself.
 */
import { MAX_CURVE_POINTS, type WeightCurve } from "@brewos/protocol/sync";
import { useEffect, useRef, useState } from "react";
import { decimal, t } from "../../i18n/i18n.ts";
import { onPhoneWeight, usePhoneScale } from "../scale/phone-scale.ts";

const MAX_S = 600;

export interface TimedShot {
  seconds: number;
  cup_g: number | null;
  curve: WeightCurve;
}

interface Run {
  curve: WeightCurve;
  off: () => void;
}

export function ScaleTimer({ onDone }: { onDone: (r: TimedShot) => void }) {
  const { manager, status } = usePhoneScale();
  const [phase, setPhase] = useState<"idle" | "taring" | "running">("idle");
  const [problem, setProblem] = useState<string | null>(null);
  const [shown, setShown] = useState<{ s: number; g: number } | null>(null);
  const run = useRef<Run | null>(null);

  const stop = () => {
    const r = run.current;
    if (!r) return;
    r.off();
    run.current = null;
    setPhase("idle");
    setShown(null);
    onDone({ seconds: r.curve.t_s.at(-1) ?? 0, cup_g: r.curve.g.at(-1) ?? null, curve: r.curve });
  };
  useEffect(() => () => run.current?.off(), []);

  if (!manager || status?.state !== "connected") return null;

  const start = async () => {
    setProblem(null);
    setPhase("taring");
    const zeroed = await manager.tare();
    if (!zeroed.ok) {
      setPhase("idle");
      setProblem(t("Not zeroed: {why}", { why: zeroed.message }));
      return;
    }
    // The shot's clock starts at the reading that confirmed the zero.
    const zeroAt = manager.current.last_weight_ms ?? 0;
    const curve: WeightCurve = { t_s: [], g: [] };
    const off = onPhoneWeight((w) => {
      const s = (w.at_ms - zeroAt) / 1000;
      if (s < 0 || run.current?.curve !== curve) return;
      curve.t_s.push(Math.round(s * 100) / 100);
      curve.g.push(Math.round(w.grams * 10) / 10);
      setShown({ s, g: w.grams });
      if (curve.t_s.length >= MAX_CURVE_POINTS || s >= MAX_S) queueMicrotask(stop);
    });
    run.current = { curve, off };
    setPhase("running");
  };

  return (
    <div className="row wrap">
      {phase === "running" ? (
        <>
          <strong data-testid="scale-timer">{shown ? `${decimal(shown.s, 1)} s · ${decimal(shown.g, 1)} g` : "0.0 s"}</strong>
          <button type="button" className="primary" onClick={stop}>
            {t("Stop")}
          </button>
        </>
      ) : (
        <button type="button" disabled={phase === "taring"} onClick={() => void start()}>
          {phase === "taring" ? t("Zeroing the scale…") : t("Time it with the scale")}
        </button>
      )}
      {problem && (
        <span className="error" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
