/**
 * Settings: this device (units, theme, which hub); the machine (heating strategy, and every
 * controller setting grouped, in people's units, with the protocol's ranges checked as you type
 * and again by the hub); the hub (name, MQTT with a write-only password, maintenance reminders,
 * history retention). Statistics and schedules are one tap away.
 */
import { MachineType } from "@brewos/protocol/uart";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useState } from "react";
import { Link } from "../../app/router.tsx";
import { HubPicker } from "../../connection/HubPicker.tsx";
import { useMachine } from "../../connection/machine-store.ts";
import { t } from "../../i18n/i18n.ts";
import { hubApi } from "../../shared/hub-api.ts";
import { usePreferences } from "../../shared/preferences.ts";
import { useCommand } from "../../shared/use-command.ts";
import { useHubSettings } from "../../shared/use-hub-settings.ts";
import { Access } from "./Access.tsx";
import { Account } from "./Account.tsx";
import { Autotune } from "./Autotune.tsx";
import { ControllerFirmware } from "./ControllerFirmware.tsx";
import { grouped, parseValue, shownValue } from "./controller-keys.ts";
import { LanHttps } from "./LanHttps.tsx";

function MachineSettings() {
  const unit = usePreferences((p) => p.unit);
  const keys = useQuery({ queryKey: ["controller-keys"], queryFn: hubApi.controllerKeys });
  const { save, saving, issues, status } = useHubSettings();
  const [draft, setDraft] = useState<Record<string, string>>({});
  if (keys.isLoading) return <p className="muted">{t("Loading the machine's settings…")}</p>;
  if (keys.error) return <p className="error">{t("Machine settings need the hub: {why}", { why: (keys.error as Error).message })}</p>;
  const groups = grouped(keys.data?.keys ?? [], unit);
  const local: Record<string, string> = {};
  const patch: Record<string, number> = {};
  for (const [, vs] of groups) {
    for (const v of vs) {
      const text = draft[v.key.name];
      if (text === undefined) continue;
      const r = parseValue(v, text);
      if (r.ok) patch[v.key.name] = r.value;
      else local[v.key.name] = r.message;
    }
  }
  const changed = Object.keys(draft).length > 0;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (Object.keys(local).length === 0) save({ controller: patch }, { onSuccess: () => setDraft({}) });
      }}
    >
      {groups.map(([name, vs], i) => {
        const fields = (
          <div className="form-grid" key={`${name}-fields`}>
            {vs.map((v) => {
              const problem = local[v.key.name] ?? issues[`controller.${v.key.name}`];
              const id = `key-${v.key.name}`;
              const edited = draft[v.key.name] !== undefined && draft[v.key.name] !== shownValue(v);
              return (
                <label key={v.key.name} htmlFor={id}>
                  {v.label}
                  {v.unit ? ` (${v.unit})` : ""}
                  <input
                    id={id}
                    type="number"
                    step={v.step}
                    value={draft[v.key.name] ?? shownValue(v)}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={problem ? `${id}-issue` : undefined}
                    onChange={(e) => setDraft({ ...draft, [v.key.name]: e.target.value })}
                  />
                  {v.help && <span className="muted small">{v.help}</span>}
                  {edited && (
                    <span className="muted small">
                      {t("in force now: {value}", { value: `${shownValue(v)}${v.unit ? ` ${v.unit}` : ""}` })}
                    </span>
                  )}
                  {problem && (
                    <span id={`${id}-issue`} className="error small">
                      {problem}
                    </span>
                  )}
                </label>
              );
            })}
          </div>
        );
        // Everyday settings are open; the advanced groups fold away, the first of them under a heading.
        return name === "Everyday" ? (
          <div key={name}>
            <h3>{t("Everyday")}</h3>
            {fields}
          </div>
        ) : (
          <div key={name}>
            {i === (groups[0]?.[0] === "Everyday" ? 1 : 0) && <h3>{t("Advanced")}</h3>}
            <details className="group">
              <summary>{t(name)}</summary>
              {fields}
            </details>
          </div>
        );
      })}
      <div className="row">
        <button type="submit" className="primary" disabled={!changed || saving || Object.keys(local).length > 0}>
          {t("Save machine settings")}
        </button>
        <span role="status" className="muted">
          {status}
        </span>
      </div>
    </form>
  );
}

const MACHINE_TYPES = new Map(Object.entries(MachineType).map(([name, id]) => [id as number, name]));
const machineTypeWords = (id: number): string => {
  const name = MACHINE_TYPES.get(id);
  const words: Record<string, string> = {
    dual_boiler: t("dual boiler"),
    single_boiler: t("single boiler"),
    heat_exchanger: t("heat exchanger"),
    unknown: t("unknown"),
  };
  return name ? (words[name] ?? name.replaceAll("_", " ")) : t("type {n}", { n: id });
};
const mqttStateWords = (state: string): string =>
  ({ off: t("off"), connecting: t("connecting"), connected: t("connected"), reconnecting: t("reconnecting") })[state] ?? state;

/** What the controller says it drives; set with the firmware, not here. */
function MachineIdentity() {
  const info = useQuery({ queryKey: ["info"], queryFn: hubApi.info });
  const c = info.data?.controller as { machine_type?: number; fw_major?: number; fw_minor?: number; fw_patch?: number } | null | undefined;
  if (!c)
    return <p className="muted small">{info.error ? t("The hub cannot be reached.") : t("The controller has not said hello yet.")}</p>;
  return (
    <p className="small">
      {t("Machine type:")} <strong>{machineTypeWords(c.machine_type ?? 0)}</strong> {t("(set by the controller's firmware)")} ·{" "}
      {t("firmware {version}", { version: `${c.fw_major}.${c.fw_minor}.${c.fw_patch}` })}
    </p>
  );
}

const STRATEGY_WORDS = (): Record<string, string> => ({
  brew_only: t("Brew boiler only"),
  sequential: t("Sequential"),
  parallel: t("Parallel"),
  staggered: t("Staggered"),
});

function HeatingStrategy() {
  const { run, busy, error } = useCommand();
  // The strategy in force is the hub's (in the state), not a default of this form.
  const inForce = useMachine((m) => m.snapshot?.heating_strategy ?? null);
  const [picked, setStrategy] = useState<string | null>(null);
  const strategy = picked ?? inForce ?? "sequential";
  const [done, setDone] = useState(false);
  return (
    <div className="row wrap">
      <label>
        {t("Heating strategy")}
        <select value={strategy} onChange={(e) => setStrategy(e.target.value)}>
          <option value="brew_only">{t("Brew boiler only")}</option>
          <option value="sequential">{t("Sequential (brew first, then steam)")}</option>
          <option value="parallel">{t("Parallel (both, within the mains limit)")}</option>
          <option value="staggered">{t("Staggered")}</option>
        </select>
      </label>
      {picked !== null && picked !== inForce && inForce && (
        <span className="muted small">{t("in force now: {value}", { value: STRATEGY_WORDS()[inForce] ?? inForce })}</span>
      )}
      <button type="button" disabled={busy} onClick={() => void run({ type: "set_heating_strategy", strategy }).then((r) => setDone(r.ok))}>
        {t("Apply")}
      </button>
      <span role="status" className={error ? "error" : "muted"}>
        {error ?? (done ? t("Applied") : "")}
      </span>
    </div>
  );
}

function HubSection() {
  const { settings, save, saving, issues, status } = useHubSettings();
  const [name, setName] = useState("");
  const [mqtt, setMqtt] = useState({
    enabled: false,
    host: "",
    port: 1883,
    username: "",
    topic_prefix: "brewos",
    discovery_prefix: "homeassistant",
    client_id: "",
    tls: { enabled: false, ca_path: "", verify: true },
  });
  const health = useQuery({ queryKey: ["health"], queryFn: hubApi.health, refetchInterval: 5000 });
  const [password, setPassword] = useState("");
  const [maint, setMaint] = useState({
    backflush_every_shots: 100,
    group_clean_every_shots: 200,
    descale_every_shots: 500,
    descale_every_days: 60,
  });
  const [keepDays, setKeepDays] = useState(0);
  const [makeRoom, setMakeRoom] = useState(false);
  useEffect(() => {
    if (!settings) return;
    const h = settings.hub as unknown as {
      machine_name: string;
      mqtt: Record<string, unknown>;
      maintenance: typeof maint;
      retention: { keep_days: number; make_room_when_full?: boolean };
    };
    setName(h.machine_name);
    const m = h.mqtt;
    setMqtt({
      enabled: Boolean(m.enabled),
      host: String(m.host),
      port: Number(m.port),
      username: String(m.username),
      topic_prefix: String(m.topic_prefix),
      discovery_prefix: String(m.discovery_prefix ?? "homeassistant"),
      client_id: String(m.client_id ?? ""),
      tls: { enabled: false, ca_path: "", verify: true, ...(m.tls as object) },
    });
    setMaint({ ...h.maintenance });
    setKeepDays(Number(h.retention.keep_days));
    setMakeRoom(Boolean(h.retention.make_room_when_full));
  }, [settings]);
  if (!settings) return null;
  const passwordSet = Boolean((settings.hub.mqtt as { password_set?: boolean }).password_set);
  const issue = (p: string) => issues[`hub.${p}`];
  const field = (p: string) => (issue(p) ? <span className="error small">{issue(p)}</span> : null);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save(
          {
            hub: {
              machine_name: name,
              mqtt: { ...mqtt, ...(password ? { password } : {}) },
              maintenance: maint,
              retention: { keep_days: keepDays, make_room_when_full: makeRoom },
            },
          },
          { onSuccess: () => setPassword("") },
        );
      }}
    >
      <div className="form-grid">
        <label>
          {t("Machine name")}
          <input value={name} maxLength={40} onChange={(e) => setName(e.target.value)} />
          {field("machine_name")}
        </label>
        <label>
          {t("Keep shots for (days, 0 = forever)")}
          <input type="number" min={0} value={keepDays} onChange={(e) => setKeepDays(Number(e.target.value))} />
          {field("retention.keep_days")}
        </label>
        <label className="toggle">
          <input type="checkbox" checked={makeRoom} onChange={(e) => setMakeRoom(e.target.checked)} />
          {t("When the hub's disk is full, delete the oldest shots to make room")}
        </label>
      </div>
      <h3>{t("MQTT and Home Assistant")}</h3>
      <div className="form-grid">
        <label className="toggle">
          <input type="checkbox" checked={mqtt.enabled} onChange={(e) => setMqtt({ ...mqtt, enabled: e.target.checked })} />
          {t("Connect to a broker")}
        </label>
        <label>
          {t("Broker host")}
          <input value={mqtt.host} onChange={(e) => setMqtt({ ...mqtt, host: e.target.value })} />
          {field("mqtt.host")}
        </label>
        <label>
          {t("Port")}
          <input type="number" min={1} max={65535} value={mqtt.port} onChange={(e) => setMqtt({ ...mqtt, port: Number(e.target.value) })} />
          {field("mqtt.port")}
        </label>
        <label>
          {t("Username")}
          <input value={mqtt.username} autoComplete="off" onChange={(e) => setMqtt({ ...mqtt, username: e.target.value })} />
        </label>
        <label>
          {passwordSet ? t("Password (set; type to replace)") : t("Password (not set)")}
          <input type="password" value={password} autoComplete="new-password" onChange={(e) => setPassword(e.target.value)} />
          {field("mqtt.password")}
        </label>
        <label>
          {t("Topic prefix")}
          <input value={mqtt.topic_prefix} onChange={(e) => setMqtt({ ...mqtt, topic_prefix: e.target.value })} />
          {field("mqtt.topic_prefix")}
        </label>
        <label>
          {t("Discovery prefix")}
          <input value={mqtt.discovery_prefix} onChange={(e) => setMqtt({ ...mqtt, discovery_prefix: e.target.value })} />
          {field("mqtt.discovery_prefix")}
        </label>
        <label>
          {t("Client id (empty: automatic)")}
          <input value={mqtt.client_id} onChange={(e) => setMqtt({ ...mqtt, client_id: e.target.value })} />
          {field("mqtt.client_id")}
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            checked={mqtt.tls.enabled}
            onChange={(e) => setMqtt({ ...mqtt, tls: { ...mqtt.tls, enabled: e.target.checked } })}
          />
          TLS
        </label>
        <label>
          {t("CA certificate file on the hub (empty: public CAs)")}
          <input
            value={mqtt.tls.ca_path}
            disabled={!mqtt.tls.enabled}
            onChange={(e) => setMqtt({ ...mqtt, tls: { ...mqtt.tls, ca_path: e.target.value } })}
          />
          {field("mqtt.tls.ca_path")}
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            checked={mqtt.tls.verify}
            disabled={!mqtt.tls.enabled}
            onChange={(e) => setMqtt({ ...mqtt, tls: { ...mqtt.tls, verify: e.target.checked } })}
          />
          {t("Check the broker's certificate")}
        </label>
      </div>
      <p className="small" role="status">
        {t("Broker:")}{" "}
        {health.data?.mqtt
          ? `${mqttStateWords(health.data.mqtt.state)}${health.data.mqtt.last_error ? ` — ${health.data.mqtt.last_error}` : ""}`
          : t("unknown")}
      </p>
      <h3>{t("Maintenance reminders")}</h3>
      <div className="form-grid">
        {(
          [
            ["backflush_every_shots", t("Backflush every (shots)")],
            ["group_clean_every_shots", t("Clean the group every (shots)")],
            ["descale_every_shots", t("Descale every (shots)")],
            ["descale_every_days", t("…or every (days)")],
          ] as const
        ).map(([k, text]) => (
          <label key={k}>
            {text}
            <input type="number" min={1} value={maint[k]} onChange={(e) => setMaint({ ...maint, [k]: Number(e.target.value) })} />
            {field(`maintenance.${k}`)}
          </label>
        ))}
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={saving}>
          {t("Save hub settings")}
        </button>
        <span role="status" className="muted">
          {status}
        </span>
      </div>
    </form>
  );
}

/** A titled section of the settings page. */
function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export default function Settings() {
  const p = usePreferences();
  return (
    <div className="stack">
      <section className="card" aria-label={t("This device")}>
        <h1>{t("Settings")}</h1>
        <div className="form-grid">
          <label>
            {t("Temperature unit")}
            <select value={p.unit} onChange={(e) => p.set({ unit: e.target.value as "C" | "F" })}>
              <option value="C">°C</option>
              <option value="F">°F</option>
            </select>
          </label>
          <label>
            {t("Pressure unit")}
            <select value={p.pressureUnit} onChange={(e) => p.set({ pressureUnit: e.target.value as "bar" | "psi" })}>
              <option value="bar">bar</option>
              <option value="psi">psi</option>
            </select>
          </label>
          <label>
            {t("Weight unit")}
            <select value={p.weightUnit} onChange={(e) => p.set({ weightUnit: e.target.value as "g" | "oz" })}>
              <option value="g">{t("grams")}</option>
              <option value="oz">{t("ounces")}</option>
            </select>
          </label>
          <label>
            {t("Theme")}
            <select value={p.theme} onChange={(e) => p.set({ theme: e.target.value as "system" | "light" | "dark" })}>
              <option value="system">{t("as the system")}</option>
              <option value="light">{t("light")}</option>
              <option value="dark">{t("dark")}</option>
            </select>
          </label>
          <label>
            {t("Language")}
            <select value={p.language} onChange={(e) => p.set({ language: e.target.value as "auto" | "en" | "de" })}>
              <option value="auto">{t("as the browser")}</option>
              <option value="en">English</option>
              <option value="de">Deutsch</option>
            </select>
          </label>
        </div>
        <p className="row wrap">
          <Link href="/statistics">{t("Statistics and maintenance")}</Link>
          <Link href="/schedules">{t("Schedules and auto power-off")}</Link>
        </p>
      </section>
      <Card title={t("Machine")}>
        <MachineIdentity />
        <HeatingStrategy />
        <Autotune />
        <MachineSettings />
      </Card>
      <Card title={t("Controller firmware")}>
        <ControllerFirmware />
      </Card>
      <section className="card" aria-label={t("Hub settings")}>
        <h2>Hub</h2>
        <HubSection />
      </section>
      <Card title={t("Phones and access")}>
        <Access />
      </Card>
      <Card title={t("Your account")}>
        <Account />
      </Card>
      <Card title={t("HTTPS at home")}>
        <LanHttps />
      </Card>
      <Card title={t("Which hub")}>
        <HubPicker />
      </Card>
    </div>
  );
}
