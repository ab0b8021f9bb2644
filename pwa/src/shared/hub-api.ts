/**
 * @module The hub's REST API for screens (react-query calls these). Errors carry the hub's
 * sentence so people see what to fix; no network gives a plain "cannot reach the hub".
 */
import type {
  ApiErrorBody,
  ApiIssue,
  AutotuneResult,
  ControllerFirmware,
  NextShot,
  SampleRow,
  ShotExportFormat,
  ShotRecord,
} from "@brewos/protocol/api";
import type { Profile } from "@brewos/protocol/profile/src/types.ts";
import { sessionToken } from "../connection/credentials.ts";
import { currentHubUrl } from "../connection/hub-address.ts";

export class HubError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
    readonly status = 0,
  ) {
    super(message);
  }
}

/** Called when the hub says this app is not (or no longer) paired. */
let onUnpaired: (() => void) | null = null;
export function whenUnpaired(listener: () => void): void {
  onUnpaired = listener;
}

/** REST carried by the live socket (set while the app reaches its machine through the relay). */
type SocketRest = (method: string, path: string, body?: string) => Promise<Response>;
let socketRest: SocketRest | null = null;
export function restThroughSocket(route: SocketRest | null): void {
  socketRest = route;
}

async function send(path: string, init: RequestInit | undefined, renew: boolean): Promise<Response> {
  if (socketRest) {
    if (init?.body !== undefined && init.body !== null && typeof init.body !== "string")
      throw new HubError("at_home_only", "this works only at home, on the machine's network");
    return socketRest(init?.method ?? "GET", path, init?.body ?? undefined);
  }
  const hub = currentHubUrl();
  // A state change is always JSON: the hub refuses other bodies (forms and text/plain are how a
  // page on another site would try to drive the machine).
  const headers = new Headers(init?.headers);
  if (init?.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  const token = await sessionToken(hub, renew).catch(() => null);
  if (token) headers.set("authorization", `Bearer ${token}`);
  return fetch(`${hub}${path}`, { ...init, headers });
}

/** A request to the hub with this app's session; a session the hub no longer knows is renewed once. */
export async function hubRequest(path: string, init?: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await send(path, init, false);
    if (res.status === 401) {
      res = await send(path, init, true);
      if (res.status === 401) onUnpaired?.();
    }
  } catch (e) {
    if (e instanceof HubError) throw e;
    throw new HubError("unreachable", "cannot reach the hub (is it on, and are you on its network?)");
  }
  return res;
}

export async function hubFetch<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await hubRequest(path, init);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new HubError("bad_answer", `the hub answered ${res.status} with something that is not JSON`, [], res.status);
  }
  if (!res.ok) {
    const e = (body as ApiErrorBody | null)?.error;
    throw new HubError(e?.code ?? "http", e?.message ?? `the hub answered ${res.status}`, e?.issues ?? [], res.status);
  }
  return body as T;
}

/** Downloads a file from the hub with this app's session (a plain link cannot carry it). */
export async function hubDownload(path: string, fallbackName: string): Promise<void> {
  const res = await hubRequest(path);
  if (!res.ok) throw new HubError("http", `the hub answered ${res.status}`, [], res.status);
  const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const hubApi = {
  shots: (limit: number, before?: string) =>
    hubFetch<{ shots: ShotRecord[]; next: string | null }>(`/api/shots?limit=${limit}${before ? `&before=${before}` : ""}`),
  samples: (id: string) => hubFetch<{ shot_id: string; samples: SampleRow[] }>(`/api/shots/${id}/samples`),
  exportShot: (id: string, format: ShotExportFormat) =>
    hubDownload(`/api/shots/${id}/export?format=${format}`, `brewos-shot.${format.endsWith("csv") ? "csv" : "json"}`),
  profiles: () => hubFetch<{ bundled: Profile[]; custom: Profile[]; slots: Record<string, { id: string; name: string }> }>("/api/profiles"),
  saveProfile: (p: Profile) =>
    hubFetch<{ ok: true; profile: Profile }>(`/api/profiles/library/${p.id}`, { method: "PUT", body: JSON.stringify(p) }),
  deleteProfile: (id: string) => hubFetch<{ ok: true }>(`/api/profiles/library/${id}`, { method: "DELETE" }),
  statistics: () => hubFetch<Statistics>("/api/statistics"),
  nextShot: () => hubFetch<NextShot>("/api/next-shot"),
  setNextShot: (patch: Partial<Pick<NextShot, "profile_id" | "dose_g" | "target_g" | "stop_time_s">>) =>
    hubFetch<NextShot>("/api/next-shot", { method: "PUT", body: JSON.stringify(patch) }),
  tare: () => hubFetch<{ ok: true }>("/api/scale/tare", { method: "POST", body: "{}" }),
  settings: () => hubFetch<SettingsView>("/api/settings"),
  patchSettings: (patch: { hub?: Record<string, unknown>; controller?: Record<string, number> }, confirmDelete = false) =>
    hubFetch<{ ok: true; settings: SettingsView }>(`/api/settings${confirmDelete ? "?confirm=delete_shots" : ""}`, {
      method: "PATCH",
      body: JSON.stringify(patch),
    }),
  health: () =>
    hubFetch<{
      status: string;
      mqtt: { state: string; broker: string | null; last_error: string | null } | null;
      storage?: { state: "ok" | "low" | "full"; free_bytes: number | null; last_error: string | null; shots_waiting: number };
      settings_problems?: { setting: string; message: string }[];
      safe_mode?: { reason: string; file: string } | null;
    }>("/api/health"),
  controllerKeys: () => hubFetch<{ keys: ControllerKey[] }>("/api/settings/controller"),
  autotune: () => hubFetch<{ brew: AutotuneResult | null; steam: AutotuneResult | null }>("/api/autotune"),
  controllerFirmware: () => hubFetch<ControllerFirmware>("/api/controller/firmware"),
  updateController: () => hubFetch<ControllerFirmware>("/api/controller/firmware/update", { method: "POST", body: "{}" }),
  abortControllerUpdate: () => hubFetch<ControllerFirmware>("/api/controller/firmware/abort", { method: "POST", body: "{}" }),
  maintenanceDone: (kind: string) => hubFetch<{ ok: true }>("/api/maintenance", { method: "POST", body: JSON.stringify({ kind }) }),
  info: () =>
    hubFetch<{
      hub: { name: string; version: string; device_id: string; public_key: string };
      caller: "kiosk" | "open" | "app" | null;
      controller?: Record<string, unknown> | null;
    }>("/api/info"),
  /** `away`: an invite link for a phone away from home, opened at the relay (docs/remote.md). */
  pairingCode: (away = false) =>
    hubFetch<{ typed_code: string; link: string; expires_at_ms: number; device_id: string }>("/api/pairing/code", {
      method: "POST",
      body: JSON.stringify(away ? { away: true } : {}),
    }),
  remote: () => hubFetch<{ relay: { state: string; url: string } | null }>("/api/remote"),
  /** A claim, signed by the machine, that the signed-in account may list it at the relay. */
  remoteClaim: (account: { iss: string; sub: string }) =>
    hubFetch<{ claim: string }>("/api/remote/claim", { method: "POST", body: JSON.stringify(account) }),
  lanHttps: () =>
    hubFetch<{
      state: "off" | "waiting_for_relay" | "issuing" | "valid" | "failed";
      zone?: string | null;
      name?: string | null;
      origin?: string | null;
      not_after_ms?: number | null;
      renew_at_ms?: number | null;
      name_check?: "unchecked" | "ok" | "rebinding_suspected";
      last_error?: string | null;
    }>("/api/lan-https"),
  closePairing: () => hubFetch<{ ok: true }>("/api/pairing/code", { method: "DELETE" }),
  pairedApps: () =>
    hubFetch<{ apps: { id: string; name: string; paired_at_ms: number; last_seen_ms: number; this_app: boolean }[] }>("/api/pairing/apps"),
  revokeApp: (id: string) => hubFetch<{ ok: true }>(`/api/pairing/apps/${id}`, { method: "DELETE" }),
  renameApp: (id: string, name: string) =>
    hubFetch<{ ok: true }>(`/api/pairing/apps/${id}`, { method: "PATCH", body: JSON.stringify({ name }) }),
};

export interface Statistics {
  shots: {
    total: number;
    today: number;
    brew_time_total_s: number;
    average_shot_s: number | null;
    by_day: { day: string; shots: number; brew_time_s: number }[];
  };
  energy: { today_wh: number; total_wh: number; by_day: { day: string; wh: number; heating_s: number }[] };
  maintenance: { kind: string; shots_since: number; last_done_at_ms: number | null; due: boolean; reason: string | null }[];
}

export interface ControllerKey {
  name: string;
  unit: string;
  min: number;
  max: number;
  default: number;
  value: number;
  source: "hub" | "controller" | "default";
}

export interface SettingsView {
  hub: Record<string, unknown>;
  controller: Record<string, number>;
}
