/**
 * @module Bluetooth on the hub's board: a scale transport over BlueZ's D-Bus API (org.bluez:
 * Adapter1 discovery, Device1 connect, GattCharacteristic1 StartNotify/WriteValue, notifications as
 * PropertiesChanged on Value), with dbus-next. It coexists with bluetoothd and needs no root. The
 * system bus by default; tests point it at a private bus with a fake org.bluez.
 */
import type { FoundScale, ScaleLink, ScaleTransport } from "@brewos/protocol/scales";
import dbus from "dbus-next";

const BLUEZ = "org.bluez";
const OM = "org.freedesktop.DBus.ObjectManager";
const PROPS = "org.freedesktop.DBus.Properties";
const DEVICE = "org.bluez.Device1";
const SERVICE = "org.bluez.GattService1";
const CHAR = "org.bluez.GattCharacteristic1";

type Variant = { value: unknown };
type Managed = Record<string, Record<string, Record<string, Variant>>>;
/** The BlueZ methods and signals used here, on whichever proxy interface has them (dbus-next types them loosely). */
interface Proxy {
  GetManagedObjects(): Promise<unknown>;
  SetDiscoveryFilter(filter: Record<string, unknown>): Promise<void>;
  StartDiscovery(): Promise<void>;
  StopDiscovery(): Promise<void>;
  Connect(): Promise<void>;
  Disconnect(): Promise<void>;
  Get(iface: string, prop: string): Promise<unknown>;
  StartNotify(): Promise<void>;
  WriteValue(value: Buffer, options: Record<string, unknown>): Promise<void>;
  on(event: string, fn: (...args: never[]) => void): void;
  removeListener(event: string, fn: (...args: never[]) => void): void;
}

export interface BluezOptions {
  /** A D-Bus address (tests); the system bus when absent. */
  busAddress?: string;
  adapter?: string;
  /** How long to wait for a connection and its services, ms. */
  connectTimeout_ms?: number;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms / 1000} s`)), ms))]);

export function bluezTransport(o: BluezOptions = {}): ScaleTransport & { close(): void } {
  const adapterPath = `/org/bluez/${o.adapter ?? "hci0"}`;
  const timeout = o.connectTimeout_ms ?? 15_000;
  let bus: ReturnType<typeof dbus.systemBus> | null = null;
  const theBus = () => {
    if (!bus) bus = o.busAddress ? dbus.sessionBus({ busAddress: o.busAddress }) : dbus.systemBus();
    return bus;
  };
  const iface = async (path: string, name: string) => (await theBus().getProxyObject(BLUEZ, path)).getInterface(name) as unknown as Proxy;
  const managed = async () => (await (await iface("/", OM)).GetManagedObjects()) as Managed;
  const str = (v: Variant | undefined) => (typeof v?.value === "string" ? v.value : null);

  return {
    async scan(onFound) {
      const om = await iface("/", OM);
      const seen = (path: string, ifaces: Record<string, Record<string, Variant>>) => {
        const d = ifaces[DEVICE];
        if (!d) return;
        const found: FoundScale = { id: path, name: str(d.Name) ?? str(d.Alias) };
        if (typeof d.RSSI?.value === "number") found.rssi = d.RSSI.value;
        onFound(found);
      };
      const added = (path: string, ifaces: Record<string, Record<string, Variant>>) => seen(path, ifaces);
      om.on("InterfacesAdded", added);
      for (const [path, ifaces] of Object.entries(await managed())) seen(path, ifaces);
      const adapter = await iface(adapterPath, "org.bluez.Adapter1");
      await adapter.SetDiscoveryFilter({ Transport: new dbus.Variant("s", "le") }).catch(() => {});
      await adapter.StartDiscovery();
      return async () => {
        om.removeListener("InterfacesAdded", added);
        await adapter.StopDiscovery().catch(() => {});
      };
    },

    async connect(id) {
      const obj = await theBus().getProxyObject(BLUEZ, id);
      const device = obj.getInterface(DEVICE) as unknown as Proxy;
      const props = obj.getInterface(PROPS) as unknown as Proxy;
      await withTimeout(device.Connect(), timeout, "connecting");
      const start = Date.now();
      while (!((await props.Get(DEVICE, "ServicesResolved")) as Variant).value) {
        if (Date.now() - start > timeout) throw new Error("the scale's services never resolved");
        await Bun.sleep(50);
      }
      const objects = await managed();
      const services = new Map<string, string>(); // path → uuid
      const chars: { path: string; uuid: string; service: string }[] = [];
      for (const [path, ifaces] of Object.entries(objects)) {
        if (!path.startsWith(`${id}/`)) continue;
        const s = ifaces[SERVICE];
        if (s) services.set(path, (str(s.UUID) ?? "").toLowerCase());
      }
      for (const [path, ifaces] of Object.entries(objects)) {
        const c = ifaces[CHAR];
        if (!c || !path.startsWith(`${id}/`)) continue;
        const servicePath = typeof c.Service?.value === "string" ? c.Service.value : "";
        chars.push({ path, uuid: (str(c.UUID) ?? "").toLowerCase(), service: services.get(servicePath) ?? "" });
      }
      const charPath = (service: string, characteristic: string) => {
        const c = chars.find((x) => x.service === service && x.uuid === characteristic) ?? chars.find((x) => x.uuid === characteristic);
        if (!c) throw new Error(`the scale has no characteristic ${characteristic}`);
        return c.path;
      };
      const listeners = new Map<string, { props: Proxy; fn: (...a: never[]) => void }>();
      let closeCb: ((reason: string) => void) | null = null;
      let open = true;
      const onDevice = (name: string, changed: Record<string, Variant>) => {
        if (name === DEVICE && changed.Connected && changed.Connected.value === false && open) {
          open = false;
          closeCb?.("the scale disconnected");
        }
      };
      props.on("PropertiesChanged", onDevice);
      const link: ScaleLink = {
        services: [...services.values()],
        async subscribe(service, characteristic, onValue) {
          const path = charPath(service, characteristic);
          const cobj = await theBus().getProxyObject(BLUEZ, path);
          const cprops = cobj.getInterface(PROPS) as unknown as Proxy;
          const old = listeners.get(path);
          if (old) old.props.removeListener("PropertiesChanged", old.fn);
          const fn = (...a: never[]) => {
            const [name, changed] = a as unknown as [string, Record<string, Variant>];
            if (name === CHAR && changed.Value) onValue(Uint8Array.from(changed.Value.value as number[]));
          };
          cprops.on("PropertiesChanged", fn);
          listeners.set(path, { props: cprops, fn });
          // Already notifying (a re-subscribe) is fine: BlueZ keeps one subscription per client.
          await (cobj.getInterface(CHAR) as unknown as Proxy).StartNotify().catch((e: Error) => {
            if (!/InProgress|already/i.test(`${e.name} ${e.message}`)) throw e;
          });
        },
        async write(service, characteristic, value, withoutResponse) {
          const c = (await theBus().getProxyObject(BLUEZ, charPath(service, characteristic))).getInterface(CHAR) as unknown as Proxy;
          await c.WriteValue(Buffer.from(value), { type: new dbus.Variant("s", withoutResponse ? "command" : "request") });
        },
        onClose(cb) {
          closeCb = cb;
        },
        async close() {
          open = false;
          props.removeListener("PropertiesChanged", onDevice);
          for (const { props: p, fn } of listeners.values()) p.removeListener("PropertiesChanged", fn);
          listeners.clear();
          await device.Disconnect().catch(() => {});
        },
      };
      return link;
    },

    close() {
      bus?.disconnect();
      bus = null;
    },
  };
}
