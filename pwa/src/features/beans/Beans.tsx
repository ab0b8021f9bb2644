/**
 * The bean library: each bag with its roaster, origin, roast date (and how long ago that was),
 * notes, and the grinder and setting last used with it — saved on this phone at once and synced
 * to the hub and every other phone like shots.
 */

import "./beans.css";
import { EMPTY_BEAN } from "@brewos/protocol/sync";
import { useLiveQuery } from "dexie-react-hooks";
import { useState } from "react";
import { Link } from "../../app/router.tsx";
import { getSync } from "../../connection/connect.ts";
import { db, type LocalBean } from "../../data/db.ts";
import { t } from "../../i18n/i18n.ts";
import { beanLabel, daysOffRoast, daysOffRoastWords } from "./beans.ts";

type Values = LocalBean["values"];
const FIELDS = (): { key: keyof Values; label: string; type?: string; max: number }[] => [
  { key: "name", label: t("Name"), max: 120 },
  { key: "roaster", label: t("Roaster"), max: 120 },
  { key: "origin", label: t("Origin"), max: 120 },
  { key: "roast_date", label: t("Roast date"), type: "date", max: 10 },
  { key: "grinder", label: t("Grinder"), max: 80 },
  { key: "grind_setting", label: t("Grind setting"), max: 40 },
];

function BeanForm({ bean, onDone }: { bean: LocalBean | null; onDone: () => void }) {
  const [v, setV] = useState<Values>(bean?.values ?? EMPTY_BEAN);
  const [state, setState] = useState<string | null>(null);
  const save = async () => {
    if (!v.name?.trim()) return setState(t("Give the beans a name."));
    const changed = Object.fromEntries(
      Object.entries(v).filter(([k, x]) => (bean?.values[k as keyof Values] ?? null) !== x && !(x === "" && !bean)),
    ) as Partial<Values>;
    const clean = Object.fromEntries(Object.entries(changed).map(([k, x]) => [k, x === "" ? null : x])) as Partial<Values>;
    try {
      await (await getSync()).editBean(bean?.id ?? null, clean);
      onDone();
    } catch (e) {
      setState(t("Not saved: {why}", { why: (e as Error).message }));
    }
  };
  return (
    <form
      className="card"
      aria-label={bean ? t("Edit {name}", { name: beanLabel(bean.values) }) : t("New beans")}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="form-grid">
        {FIELDS().map((f) => (
          <label key={f.key}>
            {f.label}
            <input
              type={f.type ?? "text"}
              maxLength={f.max}
              value={(v[f.key] as string | null) ?? ""}
              onChange={(e) => setV({ ...v, [f.key]: e.target.value })}
            />
          </label>
        ))}
      </div>
      <label>
        {t("Notes")}
        <textarea rows={2} maxLength={2000} value={v.notes ?? ""} onChange={(e) => setV({ ...v, notes: e.target.value })} />
      </label>
      <div className="row wrap">
        <button type="submit" className="primary">
          {t("Save beans")}
        </button>
        <button type="button" className="quiet" onClick={onDone}>
          {t("Cancel")}
        </button>
        {state && (
          <span role="status" className="error">
            {state}
          </span>
        )}
      </div>
    </form>
  );
}

export default function Beans() {
  const beans = useLiveQuery(() => db.beans.toArray(), [], undefined);
  const waiting = useLiveQuery(() => db.outbox.filter((e) => e.bean_id !== undefined).count(), [], 0);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const shown = (beans ?? [])
    .filter((b) => !b.values.deleted)
    .sort((a, b) => (b.values.roast_date ?? "").localeCompare(a.values.roast_date ?? ""));
  return (
    <div className="stack">
      <p>
        <Link href="/history">← {t("History")}</Link>
      </p>
      <section className="card" aria-label={t("Beans")}>
        <div className="row between">
          <h1>{t("Beans")}</h1>
          <button type="button" onClick={() => setEditing("new")} disabled={editing !== null}>
            {t("Add beans")}
          </button>
        </div>
        <p className="muted small" role="status">
          {waiting > 0 ? t("Saved on this phone — will sync when the machine can be reached.") : t("Shared with every paired phone.")}
        </p>
      </section>
      {editing === "new" && <BeanForm bean={null} onDone={() => setEditing(null)} />}
      {beans !== undefined && shown.length === 0 && editing === null && (
        <p className="muted">{t("No beans yet. Add the bag you are brewing; each shot can then name it.")}</p>
      )}
      <ul className="bean-list">
        {shown.map((b) =>
          editing === b.id ? (
            <li key={b.id}>
              <BeanForm bean={b} onDone={() => setEditing(null)} />
            </li>
          ) : (
            <li key={b.id} className="card">
              <div className="row between wrap">
                <strong>{beanLabel(b.values)}</strong>
                <span className="muted small">
                  {daysOffRoastWords(daysOffRoast(b.values.roast_date, Date.now())) ?? t("no roast date")}
                </span>
              </div>
              <p className="muted small">
                {[
                  b.values.origin,
                  b.values.roast_date ? t("roasted {date}", { date: b.values.roast_date }) : null,
                  b.values.grinder,
                  b.values.grind_setting ? t("setting {value}", { value: b.values.grind_setting }) : null,
                ]
                  .filter(Boolean)
                  .join(" · ")}
              </p>
              {b.values.notes && <p className="small">{b.values.notes}</p>}
              <div className="row wrap">
                <button type="button" onClick={() => setEditing(b.id)}>
                  {t("Edit")}
                </button>
                <button type="button" className="quiet" onClick={() => void getSync().then((e) => e.editBean(b.id, { deleted: true }))}>
                  {t("Remove")}
                </button>
              </div>
            </li>
          ),
        )}
      </ul>
    </div>
  );
}
