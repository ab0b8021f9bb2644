/**
 * @module Settings: validated, persisted in SQLite, and the controller's part pushed as config on
 * every (re)connect and on each change. A change is all or nothing: if the controller refuses a
 * value (a cross-check such as heater watts against the mains limit), nothing of the change is kept.
 */
import type { Database } from "bun:sqlite";
import { AckResult, CONFIG_KEYS } from "@brewos/protocol/uart";
import type { z } from "zod";
import type { ControllerLink } from "../controller-link/controller-link.ts";
import { enumNamer } from "../machine/enum-names.ts";
import { checkCaFile, checkHttpsFiles } from "./resources.ts";
import { HubSettings, SECRETS, SettingsPatch } from "./schema.ts";
import type { SecretBox } from "./secret-box.ts";

export type SettingsResult =
  | { ok: true; pushed?: boolean }
  | { ok: false; code: string; message: string; issues?: { path: string; message: string }[] };

/** Hub settings as answered: every secret replaced by `<name>_set: boolean`. */
export type PublicHubSettings = Record<string, unknown>;

const KEY_ID = new Map<string, number>(CONFIG_KEYS.map((k) => [k.name, k.id]));
const ackName = enumNamer(AckResult);

/** Where MQTT credentials would be sent. */
function mqttDestination(h: HubSettings): string {
  return JSON.stringify([h.mqtt.host.toLowerCase(), h.mqtt.port, h.mqtt.tls]);
}

export class Settings {
  private hub: HubSettings;
  private readonly controller = new Map<string, number>();
  private readonly changeListeners = new Set<(s: HubSettings) => void>();

  constructor(
    private readonly db: Database,
    private readonly link: ControllerLink,
    private readonly log?: (level: "info" | "warn", text: string) => void,
    private readonly secrets?: SecretBox,
  ) {
    const sections: Record<string, unknown> = {};
    for (const r of db.query<{ scope: string; key: string; value: string }, []>("SELECT scope, key, value FROM settings").all()) {
      if (r.scope === "controller") {
        const v = Number(r.value);
        if (Number.isInteger(v)) this.controller.set(r.key, v);
        else this.problem(`controller.${r.key}`, `stored value "${r.value.slice(0, 40)}" is not a number; not pushed`);
        continue;
      }
      try {
        sections[r.key] = JSON.parse(r.value);
      } catch {
        this.problem(r.key, "stored value is damaged (not JSON); using defaults for this section until it is saved again");
      }
    }
    for (const [section, field] of SECRETS) {
      const s = sections[section] as Record<string, unknown> | undefined;
      if (!s || typeof s[field] !== "string" || !this.secrets) continue;
      try {
        s[field] = this.secrets.unseal(s[field] as string);
      } catch {
        this.problem(`${section}.${field}`, "cannot be unsealed with this data folder's key; enter it again");
        s[field] = "";
      }
    }
    // Each section on its own: one stored by an older hub with other limits, or damaged, falls back
    // to its defaults alone (and is reported); the others — the MQTT password among them — stay.
    const shape = HubSettings.shape as Record<string, z.ZodType>;
    const good: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(sections)) {
      const schema = shape[key];
      if (!schema) {
        this.problem(key, "not a setting of this hub version; ignored (kept on disk)");
        continue;
      }
      const r = schema.safeParse(value);
      if (r.success) good[key] = value;
      else
        this.problem(
          key,
          `stored value does not validate (${r.error.issues[0]?.path.join(".") || key}: ${r.error.issues[0]?.message}); using defaults for this section until it is saved again`,
        );
    }
    this.hub = HubSettings.parse(good);
  }

  /** Stored settings that could not be used as they are (shown in /api/health and the app). */
  readonly problems: { setting: string; message: string }[] = [];

  /** Report a stored setting that cannot be used (at start: a certificate that went bad). */
  problem(setting: string, message: string): void {
    this.problems.push({ setting, message });
    this.log?.("warn", `settings: ${setting}: ${message}`);
  }

  /** The hub's settings for its own use (secrets included). */
  hubSettings(): HubSettings {
    return structuredClone(this.hub);
  }

  /** What the API answers: controller values set here, hub settings with secrets masked. */
  view(): { hub: PublicHubSettings; controller: Record<string, number> } {
    const hub = structuredClone(this.hub) as unknown as Record<string, Record<string, unknown>>;
    for (const [section, field] of SECRETS) {
      const s = hub[section] as Record<string, unknown>;
      s[`${field}_set`] = typeof s[field] === "string" && s[field] !== "";
      delete s[field];
    }
    return { hub, controller: Object.fromEntries(this.controller) };
  }

  /** A settings view (as answered by the API, or from a backup) turned back into a patch: the
   * `<secret>_set` flags dropped, since secrets never travel. */
  static patchFromView(view: { hub: Record<string, unknown>; controller: Record<string, number> }): unknown {
    const hub = structuredClone(view.hub) as Record<string, Record<string, unknown>>;
    for (const [section, field] of SECRETS) {
      if (hub[section] && typeof hub[section] === "object") delete hub[section][`${field}_set`];
    }
    // A restored backup never changes who may reach the machine.
    delete hub.open_on_network;
    return { hub, controller: view.controller };
  }

  /** Check a patch without applying it. */
  static check(input: unknown): SettingsResult {
    const r = SettingsPatch.safeParse(input);
    if (r.success) return { ok: true };
    const i = r.error.issues[0];
    return { ok: false, code: "invalid_settings", message: `${i?.path.join(".") || "(settings)"}: ${i?.message}` };
  }

  /**
   * `newDestination`: what to do with the stored MQTT password when a patch points MQTT at another
   * broker (host, port or TLS) without giving the password again — "refuse" the patch (the API),
   * or "forget" the password (a restored backup, which never carries secrets). A stored password
   * is never sent to a broker it was not entered for.
   */
  async apply(input: unknown, o: { newDestination?: "refuse" | "forget" } = {}): Promise<SettingsResult> {
    const parsed = SettingsPatch.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(settings)", message: i.message }));
      return { ok: false, code: "invalid_settings", message: issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues };
    }
    const patch = parsed.data;
    const nextHub = structuredClone(this.hub) as unknown as Record<string, unknown>;
    // Merge what was sent, not the parsed patch: parsing fills absent fields with their defaults,
    // which would reset stored values the patch never mentioned.
    const sent = ((input as { hub?: Record<string, unknown> }).hub ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(sent)) {
      if (v === undefined) continue;
      // Sections merge field by field (nested sections too); lists (schedules) and plain values are replaced whole.
      nextHub[k] = merge(nextHub[k], v);
    }
    const hubOk = HubSettings.safeParse(nextHub);
    if (!hubOk.success) return { ok: false, code: "invalid_settings", message: hubOk.error.issues[0]?.message ?? "invalid" };
    if (hubOk.data.mqtt.password !== "" && hubOk.data.mqtt.username === "") {
      // MQTT carries a password only with a user name; mqtt.js would silently never connect.
      const message = "mqtt.username: a password needs a user name (MQTT sends no password without one)";
      return { ok: false, code: "invalid_settings", message, issues: [{ path: "hub.mqtt.username", message }] };
    }
    const files = checkNamedFiles(hubOk.data, sent);
    if (files)
      return {
        ok: false,
        code: "invalid_settings",
        message: `${files.path}: ${files.message}`,
        issues: [{ path: `hub.${files.path}`, message: files.message }],
      };
    const sentPassword = (sent.mqtt as { password?: unknown } | undefined)?.password !== undefined;
    if (this.hub.mqtt.password !== "" && !sentPassword && mqttDestination(hubOk.data) !== mqttDestination(this.hub)) {
      if ((o.newDestination ?? "refuse") === "refuse") {
        return {
          ok: false,
          code: "secret_required",
          message:
            "mqtt.password: the broker changed (host, port or TLS); enter its password again, the stored one is only sent to the broker it was entered for",
          issues: [{ path: "hub.mqtt.password", message: "enter the password for the new broker" }],
        };
      }
      hubOk.data.mqtt.password = "";
    }
    const ctl = Object.entries(patch.controller ?? {}).filter((e): e is [string, number] => e[1] !== undefined);

    // The controller checks cross-field rules; push first, and undo what it took if it refuses one.
    // With the link down the values are kept and pushed when it comes back (pushAll).
    const live = this.link.isUp;
    const before = new Map(this.controller);
    const pushed: [string, number][] = [];
    for (const [name, value] of live ? ctl : []) {
      const r = await this.pushOne(name, value);
      if (!r.ok) {
        for (const [n] of pushed) {
          const old = before.get(n) ?? CONFIG_KEYS.find((k) => k.name === n)?.default;
          if (old !== undefined) await this.pushOne(n, old);
        }
        return r;
      }
      pushed.push([name, value]);
    }
    const now = Date.now();
    this.db.transaction(() => {
      // Only the sections this change touched: a section that fell back to its defaults at start
      // keeps its stored value until the owner saves that section.
      for (const [k, v] of Object.entries(hubOk.data)) {
        if (!(k in sent)) continue;
        this.db
          .query(
            "INSERT INTO settings (scope, key, value, updated_at_ms) VALUES ('hub', $k, $v, $now) ON CONFLICT (scope, key) DO UPDATE SET value = $v, updated_at_ms = $now",
          )
          .run({ k, v: JSON.stringify(this.sealed(k, v)), now });
      }
      for (const [k, v] of ctl) {
        this.db
          .query(
            "INSERT INTO settings (scope, key, value, updated_at_ms) VALUES ('controller', $k, $v, $now) ON CONFLICT (scope, key) DO UPDATE SET value = $v, updated_at_ms = $now",
          )
          .run({ k, v: String(v), now });
      }
    })();
    this.hub = hubOk.data;
    for (const [k, v] of ctl) this.controller.set(k, v);
    for (let i = this.problems.length - 1; i >= 0; i--) {
      const p = this.problems[i] as { setting: string };
      const section = p.setting.split(".")[0] as string;
      if (section in sent || (section === "controller" && ctl.some(([n]) => p.setting === `controller.${n}`))) this.problems.splice(i, 1);
    }
    for (const l of this.changeListeners) l(this.hub);
    return { ok: true, pushed: live };
  }

  /** A section as stored: its secrets sealed (never written in clear). */
  private sealed(section: string, value: unknown): unknown {
    const secret = SECRETS.find(([s]) => s === section);
    if (!secret || !this.secrets || typeof value !== "object" || value === null) return value;
    const copy = { ...(value as Record<string, unknown>) };
    const field = secret[1];
    if (typeof copy[field] === "string") copy[field] = this.secrets.seal(copy[field] as string);
    return copy;
  }

  /** Called after hub settings were saved (the MQTT bridge reconnects with new broker settings). */
  onHubChange(listener: (s: HubSettings) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Push every stored controller value (call when the link comes up). */
  async pushAll(): Promise<void> {
    for (const [name, value] of this.controller) {
      const r = await this.pushOne(name, value);
      if (!r.ok) this.log?.("warn", `setting ${name}=${value} not taken by the controller: ${r.message}`);
    }
  }

  private async pushOne(name: string, value: number): Promise<SettingsResult> {
    const key = KEY_ID.get(name);
    if (key === undefined) return { ok: false, code: "invalid_settings", message: `${name}: no such controller setting` };
    try {
      const ack = await this.link.command({ type: "config_set", key, value });
      if (ack.result === AckResult.ok) return { ok: true };
      return {
        ok: false,
        code: String(ackName(ack.result)),
        message: `controller.${name}: the controller refused ${value} (${String(ackName(ack.result))})`,
      };
    } catch (e) {
      return { ok: false, code: "link_down", message: `controller.${name}: ${(e as Error).message}` };
    }
  }
}

/** Files named by the sections this change sends, read and parsed now (a bad one is refused, not found at the next start). */
function checkNamedFiles(h: HubSettings, sent: Record<string, unknown>): { path: string; message: string } | null {
  if ("mqtt" in sent && h.mqtt.tls.enabled && h.mqtt.tls.ca_path) {
    const r = checkCaFile(h.mqtt.tls.ca_path);
    if (!r.ok) return { path: "mqtt.tls.ca_path", message: r.message };
  }
  if ("https" in sent && h.https.cert_path && h.https.key_path) {
    const r = checkHttpsFiles(h.https.cert_path, h.https.key_path);
    if (!r.ok) return { path: "https.cert_path", message: r.message };
  }
  return null;
}

const plain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `patch` over `base`, object by object; anything else in `patch` replaces. */
function merge(base: unknown, patch: unknown): unknown {
  if (!plain(base) || !plain(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) out[k] = merge(base[k], v);
  return out;
}
