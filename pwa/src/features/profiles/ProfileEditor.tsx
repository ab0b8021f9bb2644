/**
 * Editing a profile: name, brew temperature, and its phases (mode, start and target, curve and
 * ramp time, how the phase ends). Checked as you type by the same parser the hub and controller
 * upload use, so what saves is what the machine accepts.
 */

import type { MachineKind } from "@brewos/protocol/api";
import {
  CURVES,
  MODE_MAX,
  MODES,
  PROFILE_MAX_PHASES,
  type Profile,
  type ProfilePhase,
  parseProfile,
  profileFit,
} from "@brewos/protocol/profile";
import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link, navigate } from "../../app/router.tsx";
import { useMachine } from "../../connection/machine-store.ts";
import { t } from "../../i18n/i18n.ts";
import { HubError, hubApi } from "../../shared/hub-api.ts";
import { usePreferences } from "../../shared/preferences.ts";
import { tempFrom, tempIn } from "../../shared/units.ts";
import { ProfileCurveSvg } from "./ProfileCurveSvg.tsx";
import { MODE_UNIT } from "./profile-curve.ts";
import { blankProfile, idFor, takeDraft } from "./profile-draft.ts";
import { curveWords, fitReason, modeWords } from "./profile-words.ts";
import { useProfiles } from "./use-profiles.ts";

const num = (s: string): number | null => (s.trim() === "" ? null : Number(s));

/** Drop empty exits and limits so the strict parser sees only what the person set. */
function clean(p: Profile): Profile {
  return {
    ...p,
    phases: p.phases.map((ph) => {
      const exit = Object.fromEntries(Object.entries(ph.exit).filter(([, v]) => v !== null && v !== undefined && !Number.isNaN(v)));
      const out: ProfilePhase = { ...ph, exit };
      if (out.temperature_c === null || out.temperature_c === undefined) delete out.temperature_c;
      if (!out.limit || Object.values(out.limit).every((v) => v === null || v === undefined)) delete out.limit;
      return out;
    }),
  };
}

function PhaseEditor({
  ph,
  i,
  n,
  set,
  move,
  remove,
}: {
  ph: ProfilePhase;
  i: number;
  n: number;
  set: (ph: ProfilePhase) => void;
  move: (d: -1 | 1) => void;
  remove: () => void;
}) {
  const id = (f: string) => `phase-${i}-${f}`;
  return (
    <fieldset className="card phase-edit">
      <legend>{t("Phase {n}: {name}", { n: i + 1, name: ph.name || t("unnamed") })}</legend>
      <div className="form-grid">
        <label htmlFor={id("name")}>
          {t("Name")}
          <input id={id("name")} value={ph.name} maxLength={24} onChange={(e) => set({ ...ph, name: e.target.value })} />
        </label>
        <label htmlFor={id("mode")}>
          {t("Controls")}
          <select id={id("mode")} value={ph.mode} onChange={(e) => set({ ...ph, mode: e.target.value as ProfilePhase["mode"] })}>
            {MODES.map((m) => (
              <option key={m} value={m}>
                {modeWords(m)} ({MODE_UNIT[m]})
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={id("from")}>
          {t("From ({unit}, empty: where it is)", { unit: MODE_UNIT[ph.mode] })}
          <input
            id={id("from")}
            type="number"
            step="0.1"
            min={0}
            max={MODE_MAX[ph.mode]}
            value={ph.from ?? ""}
            onChange={(e) => set({ ...ph, from: num(e.target.value) })}
          />
        </label>
        <label htmlFor={id("to")}>
          {t("To ({unit})", { unit: MODE_UNIT[ph.mode] })}
          <input
            id={id("to")}
            type="number"
            step="0.1"
            min={0}
            max={MODE_MAX[ph.mode]}
            value={ph.to}
            onChange={(e) => set({ ...ph, to: Number(e.target.value) })}
          />
        </label>
        <label htmlFor={id("curve")}>
          {t("Curve")}
          <select id={id("curve")} value={ph.curve} onChange={(e) => set({ ...ph, curve: e.target.value as ProfilePhase["curve"] })}>
            {CURVES.map((c) => (
              <option key={c} value={c}>
                {curveWords(c)}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={id("over")}>
          {t("Ramp time (s)")}
          <input
            id={id("over")}
            type="number"
            step="0.5"
            min={0}
            value={ph.over_s}
            onChange={(e) => set({ ...ph, over_s: Number(e.target.value) })}
          />
        </label>
        <label htmlFor={id("time")}>
          {t("Ends after (s)")}
          <input
            id={id("time")}
            type="number"
            step="0.5"
            min={0}
            value={ph.exit.time_s ?? ""}
            onChange={(e) => set({ ...ph, exit: { ...ph.exit, time_s: num(e.target.value) } })}
          />
        </label>
        <label htmlFor={id("weight")}>
          {t("…or at cup weight (g)")}
          <input
            id={id("weight")}
            type="number"
            step="0.5"
            min={0}
            value={ph.exit.weight_g ?? ""}
            onChange={(e) => set({ ...ph, exit: { ...ph.exit, weight_g: num(e.target.value) } })}
          />
        </label>
        <label htmlFor={id("pabove")}>
          {t("…or pressure above (bar)")}
          <input
            id={id("pabove")}
            type="number"
            step="0.1"
            min={0}
            value={ph.exit.pressure_above_bar ?? ""}
            onChange={(e) => set({ ...ph, exit: { ...ph.exit, pressure_above_bar: num(e.target.value) } })}
          />
        </label>
      </div>
      <div className="row wrap">
        <button type="button" className="quiet" disabled={i === 0} onClick={() => move(-1)}>
          {t("Move up")}
        </button>
        <button type="button" className="quiet" disabled={i === n - 1} onClick={() => move(1)}>
          {t("Move down")}
        </button>
        <button type="button" className="quiet" disabled={n === 1} onClick={remove}>
          {t("Remove phase")}
        </button>
      </div>
    </fieldset>
  );
}

/** Whether this machine can run the profile, from what its controller said it is. */
function fitWords(p: Profile, machine: MachineKind | null): string {
  if (!machine) return t("The profile is valid. Whether this machine can run it shows once the app reaches the machine.");
  const fit = profileFit(p, machine.pump);
  return fit.ok ? t("This machine can run this profile.") : t("Valid, but this machine cannot run it: {why}", { why: fitReason(fit) });
}

export default function ProfileEditor() {
  const machine = useMachine((m) => m.snapshot?.machine ?? null);
  const unit = usePreferences((x) => x.unit);
  const [initial] = useState(() => takeDraft() ?? { profile: blankProfile(), note: null, existing: false });
  const [p, setP] = useState<Profile>(initial.profile);
  const [idTouched, setIdTouched] = useState(initial.existing);
  const profiles = useProfiles();
  const taken = new Set([...(profiles.data?.bundled ?? []), ...(profiles.data?.custom ?? [])].map((x) => x.id));
  if (initial.existing) taken.delete(initial.profile.id);
  const clash = taken.has(p.id);
  const rename = (name: string) => setP({ ...p, name, ...(idTouched ? {} : { id: idFor(name, taken) }) });
  const [state, setState] = useState<string | null>(null);
  const client = useQueryClient();
  const checked = useMemo(() => {
    try {
      return { ok: true as const, profile: parseProfile(clean(p)) };
    } catch (e) {
      return { ok: false as const, message: (e as Error).message };
    }
  }, [p]);
  const setPhase = (i: number, ph: ProfilePhase) => setP({ ...p, phases: p.phases.map((x, k) => (k === i ? ph : x)) });
  const save = async () => {
    if (!checked.ok) return;
    setState(t("Saving…"));
    try {
      await hubApi.saveProfile(checked.profile);
      await client.invalidateQueries({ queryKey: ["profiles"] });
      navigate("/profiles");
    } catch (e) {
      setState(t("Not saved: {why}", { why: e instanceof HubError ? e.message : String(e) }));
    }
  };
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p>
        <Link href="/profiles">← {t("Profiles")}</Link>
      </p>
      <section className="card" aria-label={t("Profile")}>
        <h1>{t("Edit profile")}</h1>
        {initial.note && <p className="small">{initial.note}</p>}
        <div className="form-grid">
          <label>
            {t("Name")}
            <input value={p.name} maxLength={80} onChange={(e) => rename(e.target.value)} />
          </label>
          <label>
            {t("Short name for files (lower-case letters, digits and dashes)")}
            <input
              value={p.id}
              maxLength={64}
              aria-invalid={clash || undefined}
              onChange={(e) => {
                setIdTouched(true);
                setP({ ...p, id: e.target.value });
              }}
            />
            {clash && <span className="error small">{t("Another profile already has this short name; choose another.")}</span>}
          </label>
          <label>
            {t("Brew temperature (°{unit}, empty: the machine's)", { unit })}
            <input
              type="number"
              step={unit === "F" ? 1 : 0.5}
              value={p.temperature_c === null || p.temperature_c === undefined ? "" : Math.round(tempIn(p.temperature_c, unit) * 10) / 10}
              onChange={(e) => {
                const v = num(e.target.value);
                setP({ ...p, temperature_c: v === null ? null : Math.round(tempFrom(v, unit) * 10) / 10 });
              }}
            />
          </label>
        </div>
        <ProfileCurveSvg profile={checked.ok ? checked.profile : p} height={140} />
        <p className={checked.ok ? "muted small" : "error"} role="status">
          {checked.ok ? fitWords(checked.profile, machine) : t("Fix this before saving: {why}", { why: checked.message })}
        </p>
      </section>
      {p.phases.map((ph, i) => (
        <PhaseEditor
          // biome-ignore lint/suspicious/noArrayIndexKey: phases are positional
          key={i}
          ph={ph}
          i={i}
          n={p.phases.length}
          set={(x) => setPhase(i, x)}
          move={(d) => {
            const next = [...p.phases];
            const [x] = next.splice(i, 1);
            next.splice(i + d, 0, x as ProfilePhase);
            setP({ ...p, phases: next });
          }}
          remove={() => setP({ ...p, phases: p.phases.filter((_, k) => k !== i) })}
        />
      ))}
      <div className="row wrap">
        <button
          type="button"
          disabled={p.phases.length >= PROFILE_MAX_PHASES}
          onClick={() =>
            setP({
              ...p,
              phases: [
                ...p.phases,
                {
                  name: t("phase {n}", { n: p.phases.length + 1 }),
                  mode: "pressure",
                  from: null,
                  to: 9,
                  curve: "linear",
                  over_s: 2,
                  exit: { time_s: 10 },
                },
              ],
            })
          }
        >
          {t("Add phase")}
        </button>
        <button type="submit" className="primary" disabled={!checked.ok || clash}>
          {t("Save profile")}
        </button>
        {state && <span role="status">{state}</span>}
      </div>
    </form>
  );
}
