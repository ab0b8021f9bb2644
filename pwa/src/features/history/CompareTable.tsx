/**
 * Two shots side by side: time, yield, ratio, peak pressure, mean flow and temperature, with the
 * difference, in this phone's units. The swatches match the chart's colours for each shot.
 */
import "./history.css";
import type { LocalShot } from "../../data/db.ts";
import { yieldOf } from "../../data/samples.ts";
import { decimal, t } from "../../i18n/i18n.ts";
import { usePreferences } from "../../shared/preferences.ts";
import { SERIES_COLOURS } from "../../shared/ShotChart.tsx";
import { pressureIn, tempIn, weightIn } from "../../shared/units.ts";

interface Figure {
  label: string;
  ratio?: boolean;
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
    { label: t("Time"), unit: "s", digits: 1, of: (s) => (s.duration_ms === null ? null : s.duration_ms / 1000) },
    {
      label: t("Yield"),
      unit: units.weight,
      digits: units.weight === "oz" ? 2 : 1,
      of: (s) => mapNull(yieldOf(s), (g) => weightIn(g, units.weight)),
    },
    { label: t("Ratio"), unit: "", digits: 2, of: ratio, ratio: true },
    {
      label: t("Peak pressure"),
      unit: units.pressure,
      digits: units.pressure === "psi" ? 0 : 1,
      of: (s) => mapNull(s.max_pressure_bar, (b) => pressureIn(b, units.pressure)),
    },
    {
      label: t("Mean flow"),
      unit: "ml/s",
      digits: 2,
      of: (s) => (s.volume_ml !== null && s.duration_ms ? s.volume_ml / (s.duration_ms / 1000) : null),
    },
    { label: t("Brew water"), unit: `°${units.temp}`, digits: 1, of: (s) => mapNull(s.mean_brew_c, (c) => tempIn(c, units.temp)) },
  ];
}

function mapNull(v: number | null, f: (v: number) => number): number | null {
  return v === null ? null : f(v);
}

const show = (v: number | null, f: Figure) =>
  v === null ? "–" : `${f.ratio ? "1:" : ""}${decimal(v, f.digits)}${f.unit ? ` ${f.unit}` : ""}`;

export function CompareTable({ a, b, names }: { a: LocalShot; b: LocalShot; names: [string, string] }) {
  const temp = usePreferences((p) => p.unit);
  const pressure = usePreferences((p) => p.pressureUnit);
  const weight = usePreferences((p) => p.weightUnit);
  return (
    <table className="compare">
      <caption className="sr-only">{t("The two shots compared")}</caption>
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">
            <span className="swatch" style={{ background: SERIES_COLOURS.this.pressure }} aria-hidden="true" /> {names[0]}
          </th>
          <th scope="col">
            <span className="swatch other" style={{ background: SERIES_COLOURS.other.pressure }} aria-hidden="true" /> {names[1]}
          </th>
          <th scope="col">{t("Difference")}</th>
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
                {d === null ? "–" : `${d > 0 ? "+" : d < 0 ? "−" : "±"}${decimal(Math.abs(d), f.digits)}${f.unit ? ` ${f.unit}` : ""}`}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
