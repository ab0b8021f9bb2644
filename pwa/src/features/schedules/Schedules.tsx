/**
 * Weekly schedules (turn on or off at a time on chosen days; several a day, up to ten) and the
 * automatic power-off after idle minutes. The hub runs them; it checks each field on save.
 */
import { useEffect, useState } from "react";
import { t } from "../../i18n/i18n.ts";
import { useHubSettings } from "../../shared/use-hub-settings.ts";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const DAY_WORDS = (): Record<string, string> => ({
  mon: t("Mon"),
  tue: t("Tue"),
  wed: t("Wed"),
  thu: t("Thu"),
  fri: t("Fri"),
  sat: t("Sat"),
  sun: t("Sun"),
});

interface Schedule {
  id: number;
  name: string;
  enabled: boolean;
  days: string[];
  time: string;
  action: "on" | "off";
}

export default function Schedules() {
  const { settings, error, save, saving, issues, status } = useHubSettings();
  const [list, setList] = useState<Schedule[]>([]);
  const [autoOff, setAutoOff] = useState({ enabled: true, minutes: 60 });
  useEffect(() => {
    if (!settings) return;
    setList(((settings.hub.schedules as Schedule[] | undefined) ?? []).map((s) => ({ ...s })));
    setAutoOff({ ...(settings.hub.auto_off as { enabled: boolean; minutes: number }) });
  }, [settings]);
  if (error) return <p className="error">Schedules live on the hub: {(error as Error).message}</p>;
  if (!settings) return <p className="muted">{t("Loading…")}</p>;
  const set = (i: number, s: Partial<Schedule>) => setList(list.map((x, k) => (k === i ? { ...x, ...s } : x)));
  const nextId = () => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].find((n) => !list.some((s) => s.id === n)) ?? 10;
  const issue = (path: string) => issues[`hub.${path}`];
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        save({ hub: { schedules: list, auto_off: autoOff } });
      }}
    >
      <section className="card" aria-label={t("Schedules")}>
        <h1>{t("Schedules")}</h1>
        {list.length === 0 && <p className="muted">{t("No schedules. Add one to have the machine hot when you get up.")}</p>}
        {list.map((s, i) => (
          <fieldset key={s.id} className="schedule">
            <legend>{s.name || t("Schedule {n}", { n: s.id })}</legend>
            <div className="form-grid">
              <label>
                {t("Name")}
                <input value={s.name} maxLength={23} onChange={(e) => set(i, { name: e.target.value })} />
              </label>
              <label>
                {t("Time")}
                <input
                  type="time"
                  value={s.time}
                  aria-invalid={issue(`schedules.${i}.time`) ? true : undefined}
                  onChange={(e) => set(i, { time: e.target.value })}
                />
                {issue(`schedules.${i}.time`) && <span className="error small">{issue(`schedules.${i}.time`)}</span>}
              </label>
              <label>
                {t("Turn the machine")}
                <select value={s.action} onChange={(e) => set(i, { action: e.target.value as "on" | "off" })}>
                  <option value="on">{t("on")}</option>
                  <option value="off">{t("off")}</option>
                </select>
              </label>
              <label className="toggle">
                <input type="checkbox" checked={s.enabled} onChange={(e) => set(i, { enabled: e.target.checked })} />
                {t("Enabled")}
              </label>
            </div>
            <fieldset className="days">
              <legend>{t("Days")}</legend>
              {DAYS.map((d) => (
                <label key={d} className="toggle">
                  <input
                    type="checkbox"
                    checked={s.days.includes(d)}
                    onChange={(e) => set(i, { days: e.target.checked ? [...s.days, d] : s.days.filter((x) => x !== d) })}
                  />
                  {DAY_WORDS()[d]}
                </label>
              ))}
            </fieldset>
            {issue(`schedules.${i}.days`) && <p className="error small">{t("Days: {why}", { why: issue(`schedules.${i}.days`) ?? "" })}</p>}
            <button type="button" className="quiet" onClick={() => setList(list.filter((_, k) => k !== i))}>
              {t("Remove")}
            </button>
          </fieldset>
        ))}
        <button
          type="button"
          disabled={list.length >= 10}
          onClick={() =>
            setList([
              ...list,
              { id: nextId(), name: "", enabled: true, days: ["mon", "tue", "wed", "thu", "fri"], time: "06:30", action: "on" },
            ])
          }
        >
          {t("Add schedule")}
        </button>
      </section>
      <section className="card" aria-label={t("Automatic power-off")}>
        <h2>{t("Automatic power-off")}</h2>
        <div className="form-grid">
          <label className="toggle">
            <input type="checkbox" checked={autoOff.enabled} onChange={(e) => setAutoOff({ ...autoOff, enabled: e.target.checked })} />
            {t("Turn off when idle")}
          </label>
          <label>
            {t("After (minutes, 5–480)")}
            <input
              type="number"
              min={5}
              max={480}
              value={autoOff.minutes}
              aria-invalid={issue("auto_off.minutes") ? true : undefined}
              onChange={(e) => setAutoOff({ ...autoOff, minutes: Number(e.target.value) })}
            />
            {issue("auto_off.minutes") && <span className="error small">{issue("auto_off.minutes")}</span>}
          </label>
        </div>
      </section>
      <div className="row">
        <button type="submit" className="primary" disabled={saving}>
          {t("Save schedules")}
        </button>
        <span role="status">{status}</span>
      </div>
    </form>
  );
}
