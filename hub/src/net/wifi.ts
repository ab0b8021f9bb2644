/**
 * @module The board's Wi-Fi through NetworkManager's D-Bus API (org.freedesktop.NetworkManager):
 * scan, join a network with its password, report the address it got. Used by the Wi-Fi routes
 * (docs/api/rest.md), which a new phone reaches over Bluetooth before the machine is on any network.
 * The password goes to NetworkManager and nowhere else: not logged, not stored by the hub. The
 * system bus by default; tests point it at a private bus with a fake NetworkManager.
 */
import dbus from "dbus-next";

const NM = "org.freedesktop.NetworkManager";
const NM_PATH = "/org/freedesktop/NetworkManager";
const PROPS = "org.freedesktop.DBus.Properties";
const DEVICE_TYPE_WIFI = 2;
const ACTIVE_ACTIVATED = 2;
const ACTIVE_DEACTIVATED = 4;
/** NMActiveConnectionStateReason: the secrets (the password) were missing or refused, or login failed. */
const REASONS_WRONG_PASSWORD = new Set([9, 10]);
const AP_FLAGS_PRIVACY = 0x1;

export interface WifiNetwork {
  ssid: string;
  signal_pct: number;
  secure: boolean;
  in_use: boolean;
}

export type JoinResult =
  | { ok: true; ssid: string; address: string | null }
  | { ok: false; code: "wrong_password" | "not_found" | "timed_out" | "failed"; message: string };

export interface WifiManager {
  scan(): Promise<WifiNetwork[]>;
  join(ssid: string, password: string | null): Promise<JoinResult>;
}

export interface NetworkManagerOptions {
  busAddress?: string;
  /** How long a join may take before it is reported as timed out. */
  joinTimeoutMs?: number;
  /** How long to let a requested scan run before reading the list. */
  scanWaitMs?: number;
}

type Variant = { value: unknown };
/** The NetworkManager methods and signals used here, on whichever proxy interface has them. */
interface Iface {
  Get(iface: string, name: string): Promise<Variant>;
  GetDevices(): Promise<string[]>;
  GetAllAccessPoints(): Promise<string[]>;
  RequestScan(options: object): Promise<void>;
  AddAndActivateConnection(settings: object, device: string, specific: string): Promise<[string, string]>;
  on(event: string, fn: (state: number, reason: number) => void): void;
  removeListener(event: string, fn: (state: number, reason: number) => void): void;
}

export class WifiUnavailable extends Error {}

export function networkManagerWifi(o: NetworkManagerOptions = {}): WifiManager & { close(): void } {
  let bus: ReturnType<typeof dbus.systemBus> | null = null;
  const theBus = () => {
    if (!bus) {
      bus = o.busAddress ? dbus.sessionBus({ busAddress: o.busAddress }) : dbus.systemBus();
      bus.on("error", () => {}); // a missing bus surfaces as a failed call below
    }
    return bus;
  };
  const object = (path: string) => theBus().getProxyObject(NM, path);
  const iface = async (path: string, name: string) => (await object(path)).getInterface(name) as unknown as Iface;
  const prop = async <T>(path: string, ifaceName: string, name: string): Promise<T> =>
    (await (await iface(path, PROPS)).Get(ifaceName, name)).value as T;

  const wifiDevice = async (): Promise<string> => {
    let devices: string[];
    try {
      devices = await (await iface(NM_PATH, NM)).GetDevices();
    } catch (e) {
      throw new WifiUnavailable(`NetworkManager is not reachable: ${(e as Error).message}`);
    }
    for (const d of devices) if ((await prop<number>(d, `${NM}.Device`, "DeviceType")) === DEVICE_TYPE_WIFI) return d;
    throw new WifiUnavailable("this board has no Wi-Fi device");
  };

  const accessPoints = async (device: string) => {
    const wireless = await iface(device, `${NM}.Device.Wireless`);
    const active = await prop<string>(device, `${NM}.Device.Wireless`, "ActiveAccessPoint");
    const out: (WifiNetwork & { path: string })[] = [];
    for (const ap of await wireless.GetAllAccessPoints()) {
      const a = `${NM}.AccessPoint`;
      const ssid = Buffer.from(await prop<Buffer>(ap, a, "Ssid")).toString("utf8");
      if (!ssid) continue; // hidden networks
      const flags = await prop<number>(ap, a, "Flags");
      const wpa = await prop<number>(ap, a, "WpaFlags");
      const rsn = await prop<number>(ap, a, "RsnFlags");
      out.push({
        path: ap,
        ssid,
        signal_pct: await prop<number>(ap, a, "Strength"),
        secure: (flags & AP_FLAGS_PRIVACY) !== 0 || wpa !== 0 || rsn !== 0,
        in_use: ap === active,
      });
    }
    return out;
  };

  const addressOf = async (device: string): Promise<string | null> => {
    const config = await prop<string>(device, `${NM}.Device`, "Ip4Config");
    if (!config || config === "/") return null;
    const data = await prop<Record<string, Variant>[]>(config, `${NM}.IP4Config`, "AddressData");
    const first = data[0]?.address?.value;
    return typeof first === "string" ? first : null;
  };

  return {
    async scan() {
      const device = await wifiDevice();
      await (await iface(device, `${NM}.Device.Wireless`)).RequestScan({}).catch(() => {}); // busy: use the last scan
      await new Promise((r) => setTimeout(r, o.scanWaitMs ?? 3000));
      const best = new Map<string, WifiNetwork>(); // one row per name: its strongest access point
      for (const { path: _p, ...n } of await accessPoints(device)) {
        const seen = best.get(n.ssid);
        if (!seen || n.signal_pct > seen.signal_pct || n.in_use) best.set(n.ssid, { ...n, in_use: n.in_use || (seen?.in_use ?? false) });
      }
      return [...best.values()].sort((x, y) => y.signal_pct - x.signal_pct);
    },

    async join(ssid, password) {
      const device = await wifiDevice();
      const ap = (await accessPoints(device)).filter((n) => n.ssid === ssid).sort((x, y) => y.signal_pct - x.signal_pct)[0];
      if (!ap) return { ok: false, code: "not_found", message: `no network called ${ssid} is in range` };
      const settings: Record<string, Record<string, InstanceType<typeof dbus.Variant>>> = {
        connection: { id: new dbus.Variant("s", ssid), type: new dbus.Variant("s", "802-11-wireless") },
        "802-11-wireless": { ssid: new dbus.Variant("ay", Buffer.from(ssid, "utf8")) },
      };
      if (ap.secure) {
        if (!password) return { ok: false, code: "wrong_password", message: `${ssid} needs its password` };
        settings["802-11-wireless-security"] = { "key-mgmt": new dbus.Variant("s", "wpa-psk"), psk: new dbus.Variant("s", password) };
      }
      const manager = await iface(NM_PATH, NM);
      const [, activePath] = await manager.AddAndActivateConnection(settings, device, ap.path);
      const active = await iface(activePath, `${NM}.Connection.Active`);
      const outcome = await new Promise<{ state: number; reason: number }>((resolve) => {
        const timer = setTimeout(() => resolve({ state: -1, reason: 0 }), o.joinTimeoutMs ?? 30_000);
        const done = (state: number, reason: number) => {
          if (state !== ACTIVE_ACTIVATED && state !== ACTIVE_DEACTIVATED) return;
          clearTimeout(timer);
          active.removeListener("StateChanged", done);
          resolve({ state, reason });
        };
        active.on("StateChanged", done);
        void prop<number>(activePath, `${NM}.Connection.Active`, "State")
          .then((s) => done(s, 0))
          .catch(() => {});
      });
      if (outcome.state === ACTIVE_ACTIVATED) return { ok: true, ssid, address: await addressOf(device) };
      if (outcome.state === -1) return { ok: false, code: "timed_out", message: `joining ${ssid} took too long` };
      if (REASONS_WRONG_PASSWORD.has(outcome.reason))
        return { ok: false, code: "wrong_password", message: `${ssid} did not accept the password` };
      return { ok: false, code: "failed", message: `could not join ${ssid} (NetworkManager reason ${outcome.reason})` };
    },

    close() {
      bus?.disconnect();
    },
  };
}
