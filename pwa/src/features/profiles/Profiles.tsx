/**
 * Profiles: the bundled ones and your own, each drawn as its target curve. Open one to see its
 * phases; use it for the next shot, duplicate or edit it, export it, or import a file (BrewOS,
 * Gaggiuino or GaggiMate).
 */
import { type Profile, profileFit } from "@brewos/protocol/profile";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { navigate } from "../../app/router.tsx";
import { useMachine } from "../../connection/machine-store.ts";
import { age, temp } from "../../shared/format.ts";
import { HubError, hubApi } from "../../shared/hub-api.ts";
import { usePreferences, useUnits } from "../../shared/preferences.ts";
import { formatPressure, formatWeight, type PressureUnit, type WeightUnit } from "../../shared/units.ts";
import { proposeRecipe } from "../brew/use-recipe.ts";
import { ProfileCurveSvg } from "./ProfileCurveSvg.tsx";
import { MODE_UNIT } from "./profile-curve.ts";
import { blankProfile, idFor, setDraft } from "./profile-draft.ts";
import { importProfileText, profileFileName } from "./profile-import.ts";
import { useProfiles } from "./use-profiles.ts";

function download(p: Profile): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(p, null, 2)], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = profileFileName(p);
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function chooseForNextShot(p: Profile): void {
  void proposeRecipe({ profile_id: p.id }, 0);
  navigate("/brew");
}

type Units = { pressure: PressureUnit; weight: WeightUnit };
const EXIT_WORDS: Record<string, (v: number, u: Units) => string> = {
  time_s: (v) => `after ${v} s`,
  weight_g: (v, u) => `at ${formatWeight(v, u.weight)} in the cup`,
  volume_ml: (v) => `after ${v} ml pumped`,
  pressure_above_bar: (v, u) => `pressure above ${formatPressure(v, u.pressure)}`,
  pressure_below_bar: (v, u) => `pressure below ${formatPressure(v, u.pressure)}`,
  flow_above_ml_s: (v) => `flow above ${v} ml/s`,
  flow_below_ml_s: (v) => `flow below ${v} ml/s`,
};

/** When a phase ends, in words with units ("after 8 s, or pressure above 4.0 bar"). */
export function exitWords(exit: Profile["phases"][number]["exit"], u: Units = { pressure: "bar", weight: "g" }): string {
  const parts = Object.entries(exit)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => EXIT_WORDS[k]?.(v as number, u) ?? `${k} ${v}`);
  return parts.length ? parts.join(", or ") : "at the profile's end";
}

function targetWords(v: number, mode: Profile["phases"][number]["mode"], pressure: PressureUnit): string {
  return mode === "pressure" ? formatPressure(v, pressure) : `${v} ${MODE_UNIT[mode]}`;
}

function Phases({ p }: { p: Profile }) {
  const u = useUnits().units;
  return (
    <table className="phases">
      <caption className="sr-only">Phases of {p.name}</caption>
      <thead>
        <tr>
          <th scope="col">Phase</th>
          <th scope="col">Target</th>
          <th scope="col">Ends</th>
        </tr>
      </thead>
      <tbody>
        {p.phases.map((ph, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: phases are positional
          <tr key={i}>
            <td>{ph.name}</td>
            <td>
              {ph.from !== null ? `${targetWords(ph.from, ph.mode, u.pressure)} → ` : ""}
              {targetWords(ph.to, ph.mode, u.pressure)} {ph.mode}
              {ph.over_s > 0 ? `, ${ph.curve.replaceAll("_", " ")} over ${ph.over_s} s` : ""}
            </td>
            <td>{exitWords(ph.exit, u)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function Profiles() {
  const q = useProfiles();
  const pump = useMachine((m) => m.snapshot?.machine?.pump ?? null);
  const unit = usePreferences((x) => x.unit);
  const client = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const bundled = q.data?.bundled ?? [];
  const custom = q.data?.custom ?? [];
  const taken = new Set([...bundled, ...custom].map((p) => p.id));

  const onFile = async (file: File) => {
    const r = importProfileText(await file.text());
    if (!r.ok) {
      setMessage(`Could not import ${file.name}: ${r.message}`);
      return;
    }
    const p = { ...r.profile, id: taken.has(r.profile.id) ? idFor(r.profile.name, taken) : r.profile.id };
    setDraft(p, {
      note: `Imported from ${r.source}${r.unmapped.length ? `. Not carried over: ${r.unmapped.join("; ")}` : ""}. Check it, then save.`,
    });
    navigate("/profiles/edit");
  };

  const remove = async (p: Profile) => {
    try {
      await hubApi.deleteProfile(p.id);
      await client.invalidateQueries({ queryKey: ["profiles"] });
      setMessage(`Deleted “${p.name}”.`);
    } catch (e) {
      setMessage(e instanceof HubError ? e.message : String(e));
    }
  };

  const card = (p: Profile, mine: boolean) => (
    <li key={p.id} className="card profile">
      <button type="button" className="profile-open" aria-expanded={open === p.id} onClick={() => setOpen(open === p.id ? null : p.id)}>
        <span className="profile-name">{p.name}</span>
        <span className="muted small">
          {mine ? "yours" : "bundled"} · {p.phases.length} phase{p.phases.length > 1 ? "s" : ""}
          {p.temperature_c ? ` · ${temp(p.temperature_c, unit, 0)}` : ""}
        </span>
      </button>
      <ProfileCurveSvg profile={p} />
      {pump && !profileFit(p, pump).ok && <p className="muted small">Not on this machine: {profileFit(p, pump).reason}</p>}
      {open === p.id && (
        <div className="stack">
          <Phases p={p} />
          <div className="row wrap">
            <button type="button" className="primary" onClick={() => chooseForNextShot(p)}>
              Use for next shot
            </button>
            {mine ? (
              <button
                type="button"
                onClick={() => {
                  setDraft(p, { existing: true });
                  navigate("/profiles/edit");
                }}
              >
                Edit
              </button>
            ) : null}
            <button
              type="button"
              onClick={() => {
                setDraft({ ...p, id: idFor(`${p.name} copy`, taken), name: `${p.name} (copy)`.slice(0, 80) });
                navigate("/profiles/edit");
              }}
            >
              Duplicate
            </button>
            <button type="button" onClick={() => download(p)}>
              Export
            </button>
            {mine && (
              <button type="button" className="quiet" onClick={() => void remove(p)}>
                Delete
              </button>
            )}
          </div>
        </div>
      )}
    </li>
  );

  return (
    <div className="stack">
      <section className="card" aria-label="Profiles">
        <h1>Profiles</h1>
        <div className="row wrap">
          <button
            type="button"
            onClick={() => {
              setDraft({ ...blankFor(taken) });
              navigate("/profiles/edit");
            }}
          >
            New profile
          </button>
          <label className="file">
            Import a file
            <input type="file" accept="application/json,.json" onChange={(e) => e.target.files?.[0] && void onFile(e.target.files[0])} />
          </label>
        </div>
        {message && (
          <p role="status" className="small">
            {message}
          </p>
        )}
        {q.fromPhone ? (
          <p className="muted small" role="status">
            Offline: the profiles as this phone last saw them{q.savedAt ? ` (${age(Date.now() - q.savedAt)})` : ""}. Changes wait for the
            machine.
          </p>
        ) : (
          q.error && <p className="error">Profiles need the hub: {(q.error as Error).message}</p>
        )}
      </section>
      {custom.length > 0 && (
        <section aria-label="Your profiles">
          <h2>Yours</h2>
          <ul className="profile-list">{custom.map((p) => card(p, true))}</ul>
        </section>
      )}
      <section aria-label="Bundled profiles">
        <h2>Bundled</h2>
        <ul className="profile-list">{bundled.map((p) => card(p, false))}</ul>
      </section>
    </div>
  );
}

function blankFor(taken: ReadonlySet<string>): Profile {
  const p = blankProfile();
  return { ...p, id: idFor(p.name, taken) };
}
