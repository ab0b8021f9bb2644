/**
 * Profiles: the bundled ones and your own, each drawn as its target curve. Open one to see its
 * phases; use it for the next shot, duplicate or edit it, export it, or import a file (BrewOS,
 * Gaggiuino, GaggiMate, or Decent Tcl and JSON v2).
 */
import { type Profile, profileFit } from "@brewos/protocol/profile";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { navigate } from "../../app/router.tsx";
import { useMachine } from "../../connection/machine-store.ts";
import { t } from "../../i18n/i18n.ts";
import { age, temp } from "../../shared/format.ts";
import { HubError, hubApi } from "../../shared/hub-api.ts";
import { usePreferences } from "../../shared/preferences.ts";
import { formatPressure, formatWeight, type PressureUnit, type WeightUnit } from "../../shared/units.ts";
import { useUnits } from "../../shared/use-units.ts";
import { proposeRecipe } from "../brew/use-recipe.ts";
import { ProfileCurveSvg } from "./ProfileCurveSvg.tsx";
import { MODE_UNIT } from "./profile-curve.ts";
import { blankProfile, idFor, setDraft } from "./profile-draft.ts";
import { importProfileText, profileFileName } from "./profile-import.ts";
import { curveWords, fitReason, modeWords } from "./profile-words.ts";
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
  time_s: (v) => t("after {v} s", { v }),
  weight_g: (v, u) => t("at {w} in the cup", { w: formatWeight(v, u.weight) }),
  volume_ml: (v) => t("after {v} ml pumped", { v }),
  pressure_above_bar: (v, u) => t("pressure above {p}", { p: formatPressure(v, u.pressure) }),
  pressure_below_bar: (v, u) => t("pressure below {p}", { p: formatPressure(v, u.pressure) }),
  flow_above_ml_s: (v) => t("flow above {v} ml/s", { v }),
  flow_below_ml_s: (v) => t("flow below {v} ml/s", { v }),
};

/** When a phase ends, in words with units ("after 8 s, or pressure above 4.0 bar"). */
export function exitWords(exit: Profile["phases"][number]["exit"], u: Units = { pressure: "bar", weight: "g" }): string {
  const parts = Object.entries(exit)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => EXIT_WORDS[k]?.(v as number, u) ?? `${k} ${v}`);
  return parts.length ? parts.join(t(", or ")) : t("at the profile's end");
}

function targetWords(v: number, mode: Profile["phases"][number]["mode"], pressure: PressureUnit): string {
  return mode === "pressure" ? formatPressure(v, pressure) : `${v} ${MODE_UNIT[mode]}`;
}

function Phases({ p }: { p: Profile }) {
  const u = useUnits().units;
  return (
    <table className="phases">
      <caption className="sr-only">{t("Phases of {name}", { name: p.name })}</caption>
      <thead>
        <tr>
          <th scope="col">{t("Phase")}</th>
          <th scope="col">{t("Target")}</th>
          <th scope="col">{t("Ends")}</th>
        </tr>
      </thead>
      <tbody>
        {p.phases.map((ph, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: phases are positional
          <tr key={i}>
            <td>{ph.name}</td>
            <td>
              {ph.from !== null ? `${targetWords(ph.from, ph.mode, u.pressure)} → ` : ""}
              {targetWords(ph.to, ph.mode, u.pressure)} {modeWords(ph.mode)}
              {ph.over_s > 0 ? `, ${t("{curve} over {s} s", { curve: curveWords(ph.curve), s: ph.over_s })}` : ""}
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
      setMessage(t("Could not import {file}: {why}", { file: file.name, why: r.message }));
      return;
    }
    const p = { ...r.profile, id: taken.has(r.profile.id) ? idFor(r.profile.name, taken) : r.profile.id };
    setDraft(p, {
      note: r.unmapped.length
        ? t("Imported from {source}. Not carried over: {list}. Check it, then save.", { source: r.source, list: r.unmapped.join("; ") })
        : t("Imported from {source}. Check it, then save.", { source: r.source }),
    });
    navigate("/profiles/edit");
  };

  const remove = async (p: Profile) => {
    try {
      await hubApi.deleteProfile(p.id);
      await client.invalidateQueries({ queryKey: ["profiles"] });
      setMessage(t("Deleted “{name}”.", { name: p.name }));
    } catch (e) {
      setMessage(e instanceof HubError ? e.message : String(e));
    }
  };

  const card = (p: Profile, mine: boolean) => (
    <li key={p.id} className="card profile">
      <button type="button" className="profile-open" aria-expanded={open === p.id} onClick={() => setOpen(open === p.id ? null : p.id)}>
        <span className="profile-name">{p.name}</span>
        <span className="muted small">
          {mine ? t("yours") : t("bundled")} · {p.phases.length > 1 ? t("{n} phases", { n: p.phases.length }) : t("1 phase")}
          {p.temperature_c ? ` · ${temp(p.temperature_c, unit, 0)}` : ""}
        </span>
      </button>
      <ProfileCurveSvg profile={p} />
      {pump && !profileFit(p, pump).ok && (
        <p className="muted small">{t("Not on this machine: {why}", { why: fitReason(profileFit(p, pump)) })}</p>
      )}
      {open === p.id && (
        <div className="stack">
          <Phases p={p} />
          <div className="row wrap">
            <button type="button" className="primary" onClick={() => chooseForNextShot(p)}>
              {t("Use for next shot")}
            </button>
            {mine ? (
              <button
                type="button"
                onClick={() => {
                  setDraft(p, { existing: true });
                  navigate("/profiles/edit");
                }}
              >
                {t("Edit")}
              </button>
            ) : null}
            <button
              type="button"
              onClick={() => {
                setDraft({ ...p, id: idFor(`${p.name} copy`, taken), name: t("{name} (copy)", { name: p.name }).slice(0, 80) });
                navigate("/profiles/edit");
              }}
            >
              {t("Duplicate")}
            </button>
            <button type="button" onClick={() => download(p)}>
              {t("Export")}
            </button>
            {mine && (
              <button type="button" className="quiet" onClick={() => void remove(p)}>
                {t("Delete")}
              </button>
            )}
          </div>
        </div>
      )}
    </li>
  );

  return (
    <div className="stack">
      <section className="card" aria-label={t("Profiles")}>
        <h1>{t("Profiles")}</h1>
        <div className="row wrap">
          <button
            type="button"
            onClick={() => {
              setDraft({ ...blankFor(taken) });
              navigate("/profiles/edit");
            }}
          >
            {t("New profile")}
          </button>
          <label className="file">
            {t("Import a file")}
            <input
              type="file"
              accept="application/json,.json,.tcl"
              onChange={(e) => e.target.files?.[0] && void onFile(e.target.files[0])}
            />
          </label>
        </div>
        {message && (
          <p role="status" className="small">
            {message}
          </p>
        )}
        {q.fromPhone ? (
          <p className="muted small" role="status">
            {t("Offline: the profiles as this phone last saw them ({age}). Changes wait for the machine.", {
              age: q.savedAt ? age(Date.now() - q.savedAt) : "–",
            })}
          </p>
        ) : (
          q.error && <p className="error">{t("Profiles need the hub: {why}", { why: (q.error as Error).message })}</p>
        )}
      </section>
      {custom.length > 0 && (
        <section aria-label={t("Your profiles")}>
          <h2>{t("Yours")}</h2>
          <ul className="profile-list">{custom.map((p) => card(p, true))}</ul>
        </section>
      )}
      <section aria-label={t("Bundled profiles")}>
        <h2>{t("Bundled")}</h2>
        <ul className="profile-list">{bundled.map((p) => card(p, false))}</ul>
      </section>
    </div>
  );
}

function blankFor(taken: ReadonlySet<string>): Profile {
  const p = blankProfile();
  return { ...p, id: idFor(p.name, taken) };
}
