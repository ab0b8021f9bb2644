/**
 * Two shots side by side: time, yield, ratio, peak pressure, mean flow and temperature, with the
 * difference, in this phone's units. The swatches match the chart's colours for each shot.
 */
import type { LocalShot } from "../../data/db.ts";
import { yieldOf } from "../../data/samples.ts";
import { usePreferences } from "../../shared/preferences.ts";
import { SERIES_COLOURS } from "../../shared/ShotChart.tsx";
import { pressureIn, tempIn, weightIn } from "../../shared/units.ts";

interface Figure {
  label: string;
  unit: string;
  digits: number;
  of: (s: LocalShot) => number | null;
}

export function compareFigures(units: { temp: "C" | "F"; pressure: "bar" | "psi"; weight: "g" | "oz" }): Figure[] {
  const ratio = (s: LocalShot) => {
    const y = yieldOf(s);
    return y && s.values.dose_g ? y / s.values.dose_g : null;
  };
  return [
    { label: "Time", unit: "s", digits: 1, of: (s) => (s.duration_ms === null ? null : s.duration_ms / 1000) },
    {
      label: "Yield",
      unit: units.weight,
      digits: units.weight === "oz" ? 2 : 1,
      of: (s) => mapNull(yieldOf(s), (g) => weightIn(g, units.weight)),
    },
    { label: "Ratio", unit: "", digits: 2, of: ratio },
    {
      label: "Peak pressure",
      unit: units.pressure,
      digits: units.pressure === "psi" ? 0 : 1,
      of: (s) => mapNull(s.max_pressure_bar, (b) => pressureIn(b, units.pressure)),
    },
    {
      label: "Mean flow",
      unit: "ml/s",
      digits: 2,
      of: (s) => (s.volume_ml !== null && s.duration_ms ? s.volume_ml / (s.duration_ms / 1000) : null),
    },
    { label: "Brew water", unit: `°${units.temp}`, digits: 1, of: (s) => mapNull(s.mean_brew_c, (c) => tempIn(c, units.temp)) },
  ];
}

function mapNull(v: number | null, f: (v: number) => number): number | null {
  return v === null ? null : f(v);
}

const show = (v: number | null, f: Figure) =>
  v === null ? "–" : `${f.label === "Ratio" ? "1:" : ""}${v.toFixed(f.digits)}${f.unit ? ` ${f.unit}` : ""}`;

export function CompareTable({ a, b, names }: { a: LocalShot; b: LocalShot; names: [string, string] }) {
  const temp = usePreferences((p) => p.unit);
  const pressure = usePreferences((p) => p.pressureUnit);
  const weight = usePreferences((p) => p.weightUnit);
  return (
    <table className="compare">
      <caption className="sr-only">The two shots compared</caption>
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">
            <span className="swatch" style={{ background: SERIES_COLOURS.this.pressure }} aria-hidden="true" /> {names[0]}
          </th>
          <th scope="col">
            <span className="swatch other" style={{ background: SERIES_COLOURS.other.pressure }} aria-hidden="true" /> {names[1]}
          </th>
          <th scope="col">Difference</th>
        </tr>
      </thead>
      <tbody>
        {compareFigures({ temp, pressure, weight }).map((f) => {
          const x = f.of(a);
          const y = f.of(b);
          const d = x !== null && y !== null ? y - x : null;
          return (
            <tr key={f.label}>
              <th scope="row">{f.label}</th>
              <td>{show(x, f)}</td>
              <td>{show(y, f)}</td>
              <td>
                {d === null ? "–" : `${d > 0 ? "+" : d < 0 ? "−" : "±"}${Math.abs(d).toFixed(f.digits)}${f.unit ? ` ${f.unit}` : ""}`}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
