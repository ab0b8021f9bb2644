/**
 * The next shot: profile (only what this machine can run, with its curve), dose, target weight and
 * time limit, the ratio, and how the shot will stop — always visible, scale or not.
 */

import type { MachineKind } from "@brewos/protocol/api";
import { type Profile, type ProfileFit, profileFit } from "@brewos/protocol/profile";
import { Link } from "../../app/router.tsx";
import { decimal, t } from "../../i18n/i18n.ts";
import { usePreferences } from "../../shared/preferences.ts";
import { weightFrom, weightIn } from "../../shared/units.ts";
import { ProfileCurveSvg } from "../profiles/ProfileCurveSvg.tsx";
import { fitReason } from "../profiles/profile-words.ts";
import type { RecipeFields } from "./use-recipe.ts";

/** How the next shot will end, in words, before it starts (the controller enforces the same). */
export function howItStops(target: number | null, timeLimit: number | null, scale: boolean, unit = "g"): string {
  const w = `${target} ${unit}`;
  if (target && scale)
    return timeLimit ? t("Stops at {w} on the scale, or at {s} s.", { w, s: timeLimit }) : t("Stops at {w} on the scale.", { w });
  if (target)
    return timeLimit
      ? t("No scale: stops on the volume that makes {w} in the cup, or at {s} s.", { w, s: timeLimit })
      : t("No scale: stops on the volume that makes {w} in the cup.", { w });
  return timeLimit
    ? t("Stops at {s} s (or the profile's own end).", { s: timeLimit })
    : t("Stops at the profile's end, or at the machine's volume limit for this dose.");
}

function NumberField(p: {
  label: string;
  min: number;
  max: number;
  step: number;
  value: number | null;
  disabled: boolean;
  placeholder?: string;
  onChange: (v: number | null) => void;
}) {
  return (
    <label>
      {p.label}
      <input
        type="number"
        inputMode={p.step < 1 ? "decimal" : "numeric"}
        min={p.min}
        max={p.max}
        step={p.step}
        value={p.value ?? ""}
        placeholder={p.placeholder}
        disabled={p.disabled}
        onChange={(e) => p.onChange(e.target.value.trim() === "" ? null : Number(e.target.value))}
      />
    </label>
  );
}

const round1 = (v: number) => Math.round(v * 10) / 10;

export function RecipeForm(p: {
  recipe: RecipeFields;
  change: (patch: Partial<RecipeFields>) => void;
  profiles: Profile[];
  machine: MachineKind | null;
  scale: boolean;
  disabled: boolean;
}) {
  const wu = usePreferences((x) => x.weightUnit);
  const { recipe: r } = p;
  const pump = p.machine?.pump ?? null;
  const runnable = pump ? p.profiles.filter((x) => profileFit(x, pump).ok) : p.profiles;
  const hidden = p.profiles.length - runnable.length;
  const chosen = p.profiles.find((x) => x.id === r.profile_id) ?? null;
  const chosenFit: ProfileFit = chosen && pump ? profileFit(chosen, pump) : { ok: true };
  const ratio = r.dose_g > 0 && r.target_g ? r.target_g / r.dose_g : null;
  const shown = (g: number | null) => (g === null ? null : round1(weightIn(g, wu)));
  const kept = (v: number | null) => (v === null ? null : round1(weightFrom(v, wu)));
  return (
    <>
      <div className="form-grid">
        <label>
          {t("Profile")}
          <select value={r.profile_id ?? ""} onChange={(e) => p.change({ profile_id: e.target.value || null })} disabled={p.disabled}>
            <option value="">{t("Machine default")}</option>
            {runnable.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
            {chosen && !runnable.includes(chosen) && (
              <option value={chosen.id}>{t("{name} (cannot run here)", { name: chosen.name })}</option>
            )}
          </select>
        </label>
        <NumberField
          label={t("Dose ({unit})", { unit: wu })}
          min={0}
          max={100}
          step={0.1}
          value={shown(r.dose_g)}
          disabled={p.disabled}
          onChange={(v) => p.change({ dose_g: kept(v) ?? 0 })}
        />
        <NumberField
          label={t("Target weight ({unit})", { unit: wu })}
          min={0}
          max={500}
          step={0.5}
          value={shown(r.target_g)}
          placeholder={t("none")}
          disabled={p.disabled}
          onChange={(v) => p.change({ target_g: v && v > 0 ? kept(v) : null })}
        />
        <NumberField
          label={t("Time limit (s)")}
          min={0}
          max={120}
          step={1}
          value={r.stop_time_s}
          placeholder={t("none")}
          disabled={p.disabled}
          onChange={(v) => p.change({ stop_time_s: v && v >= 1 ? v : null })}
        />
      </div>
      <p className="ratio" aria-live="polite">
        {ratio ? t("Ratio 1:{r}", { r: decimal(ratio, 1) }) : t("No target weight")}
      </p>
      <p className="muted" data-testid="stop-words">
        {howItStops(shown(r.target_g), r.stop_time_s, p.scale, wu)}
      </p>
      {chosen && <ProfileCurveSvg profile={chosen} height={80} label={t("{name}: target curve", { name: chosen.name })} />}
      {!chosenFit.ok && (
        <p className="error" role="alert">
          {fitReason(chosenFit)}
        </p>
      )}
      {hidden > 0 && (
        <p className="muted small">
          {hidden > 1
            ? t("{n} profiles not listed: they hold a pressure or flow, and this machine's pump can only be switched on or off.", {
                n: hidden,
              })
            : t("1 profile not listed: it holds a pressure or flow, and this machine's pump can only be switched on or off.")}{" "}
          <Link href="/profiles">{t("See them in Profiles")}</Link>.
        </p>
      )}
    </>
  );
}
