/**
 * @module The BrewOS GATT service on the hub's board (docs/api/ble.md): a BlueZ D-Bus peripheral
 * written on dbus-next's service API — an application object tree registered with
 * GattManager1.RegisterApplication and an advertisement with LEAdvertisingManager1 — beside the scale
 * central on the same BlueZ (no raw HCI, bluetoothd keeps running). One central at a time holds a
 * session (BleSession): BlueZ sends a notification to every subscribed central, so a second phone's
 * writes are refused while one is connected, and what it might overhear is ciphertext or pairing
 * proofs. The session ends when its device disconnects, goes quiet, or the hub drops it.
 */
import { BREWOS_BLE, type BrewosBleInfo, POLL_QUEUE_CHUNKS } from "@brewos/protocol/ble/brewos-service";
import dbus from "dbus-next";
import { BleSession, type BleSessionOptions } from "./ble-session.ts";

const { Interface } = dbus.interface;
const READ = dbus.interface.ACCESS_READ;
const BLUEZ = "org.bluez";
const APP = "/org/brewos/gatt";
const SERVICE = `${APP}/service0`;
const ADVERT = "/org/brewos/advertisement0";
const DEFAULT_MTU = 23;
const IDLE_MS = 10 * 60_000;
const REGISTER_TIMEOUT_MS = 10_000;

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`BlueZ did not answer within ${ms / 1000} s`)), ms))]);

type Variant = InstanceType<typeof dbus.Variant>;
type Options = Record<string, Variant | undefined>;
type Props = Record<string, Record<string, Variant>>;
const v = (sig: string, x: unknown) => new dbus.Variant(sig, x);
const fail = (name: string, text: string) => new dbus.DBusError(`org.bluez.Error.${name}`, text);

export interface GattServerOptions extends Omit<BleSessionOptions, "notify" | "mtu" | "disconnect"> {
  /** A D-Bus address (tests); the system bus when absent. */
  busAddress?: string;
  adapter?: string;
  /** What the info characteristic reads. */
  info: () => BrewosBleInfo;
  idleMs?: number;
}

class ObjectManager extends Interface {
  constructor(private readonly objects: () => Record<string, Props>) {
    super("org.freedesktop.DBus.ObjectManager");
  }
  GetManagedObjects() {
    return this.objects();
  }
}
ObjectManager.configureMembers({ methods: { GetManagedObjects: { inSignature: "", outSignature: "a{oa{sa{sv}}}" } } });

class GattService extends Interface {
  constructor() {
    super("org.bluez.GattService1");
  }
  get UUID() {
    return BREWOS_BLE.service;
  }
  get Primary() {
    return true;
  }
}
GattService.configureMembers({ properties: { UUID: { signature: "s", access: READ }, Primary: { signature: "b", access: READ } } });

interface CharacteristicHandlers {
  read?: (o: Options) => Uint8Array;
  write?: (value: Uint8Array, o: Options) => void;
  notify?: (on: boolean) => void;
}

class Characteristic extends Interface {
  notifying = false;
  value: Buffer = Buffer.alloc(0);
  constructor(
    readonly uuid: string,
    readonly flags: string[],
    private readonly h: CharacteristicHandlers,
  ) {
    super("org.bluez.GattCharacteristic1");
  }
  get UUID() {
    return this.uuid;
  }
  get Service() {
    return SERVICE;
  }
  get Flags() {
    return this.flags;
  }
  get Notifying() {
    return this.notifying;
  }
  get Value() {
    return this.value;
  }
  ReadValue(o: Options) {
    if (!this.h.read) throw fail("NotPermitted", "not readable");
    return Buffer.from(this.h.read(o));
  }
  WriteValue(value: Buffer, o: Options) {
    if (!this.h.write) throw fail("NotPermitted", "not writable");
    this.h.write(Uint8Array.from(value), o);
  }
  StartNotify() {
    if (!this.h.notify) throw fail("NotSupported", "no notifications");
    this.notifying = true;
    this.h.notify(true);
  }
  StopNotify() {
    if (!this.h.notify) throw fail("NotSupported", "no notifications");
    this.notifying = false;
    this.h.notify(false);
  }
  push(value: Uint8Array) {
    this.value = Buffer.from(value);
    if (this.notifying) Interface.emitPropertiesChanged(this, { Value: this.value }, []);
  }
}
Characteristic.configureMembers({
  properties: {
    UUID: { signature: "s", access: READ },
    Service: { signature: "o", access: READ },
    Flags: { signature: "as", access: READ },
    Notifying: { signature: "b", access: READ },
    Value: { signature: "ay", access: READ },
  },
  methods: {
    ReadValue: { inSignature: "a{sv}", outSignature: "ay" },
    WriteValue: { inSignature: "aya{sv}", outSignature: "" },
    StartNotify: { inSignature: "", outSignature: "" },
    StopNotify: { inSignature: "", outSignature: "" },
  },
});

class Advertisement extends Interface {
  constructor(private readonly name: () => string) {
    super("org.bluez.LEAdvertisement1");
  }
  get Type() {
    return "peripheral";
  }
  get ServiceUUIDs() {
    return [BREWOS_BLE.service];
  }
  get LocalName() {
    return this.name();
  }
  get Includes() {
    return ["tx-power"];
  }
  Release() {}
}
Advertisement.configureMembers({
  properties: {
    Type: { signature: "s", access: READ },
    ServiceUUIDs: { signature: "as", access: READ },
    LocalName: { signature: "s", access: READ },
    Includes: { signature: "as", access: READ },
  },
  methods: { Release: { inSignature: "", outSignature: "" } },
});

/** The central holding the session: its device path, MTU, and chunks kept for a reading central. */
interface Active {
  device: string;
  mtu: number;
  session: BleSession;
  polling: boolean;
  queue: Uint8Array[];
  lastMs: number;
  stopWatching: () => void;
}

export class GattServer {
  private readonly bus: ReturnType<typeof dbus.systemBus>;
  private readonly adapterPath: string;
  private readonly chars: { write: Characteristic; notify: Characteristic; info: Characteristic };
  private active: Active | null = null;
  /** Centrals that read the notify characteristic: they get their chunks by reading from the start. */
  private readonly readers = new Set<string>();
  private idleTimer: ReturnType<typeof setInterval> | null = null;
  /** Centrals the hub refused while another held the session (for the health view and tests). */
  refused = 0;

  private constructor(private readonly o: GattServerOptions) {
    this.bus = o.busAddress ? dbus.sessionBus({ busAddress: o.busAddress }) : dbus.systemBus();
    // A bus that cannot be reached (no D-Bus, no BlueZ) must not take the hub down.
    this.bus.on("error", (e: Error) => o.log?.("warn", `bluetooth: D-Bus: ${e.message}`));
    this.adapterPath = `/org/bluez/${o.adapter ?? "hci0"}`;
    this.chars = {
      write: new Characteristic(BREWOS_BLE.write, ["write", "write-without-response"], {
        write: (value, opts) => this.written(value, opts),
      }),
      notify: new Characteristic(BREWOS_BLE.notify, ["notify", "read"], {
        read: (opts) => this.polled(opts),
        notify: () => {},
      }),
      info: new Characteristic(BREWOS_BLE.info, ["read"], {
        read: (opts) => {
          const all = new TextEncoder().encode(JSON.stringify(this.o.info()));
          const offset = Number(opts.offset?.value ?? 0);
          if (offset > all.length) throw fail("InvalidOffset", "past the end");
          return all.subarray(offset);
        },
      }),
    };
  }

  /** Exports the service and registers it and its advertisement with BlueZ. */
  static async start(o: GattServerOptions): Promise<GattServer> {
    const s = new GattServer(o);
    const om = new ObjectManager(() => s.objects());
    s.bus.export(APP, om);
    s.bus.export(SERVICE, new GattService());
    s.bus.export(`${SERVICE}/write`, s.chars.write);
    s.bus.export(`${SERVICE}/notify`, s.chars.notify);
    s.bus.export(`${SERVICE}/info`, s.chars.info);
    s.bus.export(ADVERT, new Advertisement(() => o.info().name));
    try {
      await withTimeout(s.callAdapter("org.bluez.GattManager1", "RegisterApplication", APP), REGISTER_TIMEOUT_MS);
      await withTimeout(s.callAdapter("org.bluez.LEAdvertisingManager1", "RegisterAdvertisement", ADVERT), REGISTER_TIMEOUT_MS);
    } catch (e) {
      s.bus.disconnect();
      throw e;
    }
    const idle = o.idleMs ?? IDLE_MS;
    s.idleTimer = setInterval(
      () => {
        if (s.active && Date.now() - s.active.lastMs > idle) s.drop("the phone went quiet");
      },
      Math.min(idle, 30_000),
    );
    o.log?.("info", `bluetooth: BrewOS service advertised on ${s.adapterPath}`);
    return s;
  }

  /** A call on the adapter by plain message (its introspection need not list the manager). */
  private async callAdapter(iface: string, member: string, path: string): Promise<void> {
    const body = [path, {}];
    await this.bus.call(
      new dbus.Message({ destination: BLUEZ, path: this.adapterPath, interface: iface, member, signature: "oa{sv}", body }),
    );
  }

  /** The device path of the central holding the session, if any. */
  get central(): string | null {
    return this.active?.device ?? null;
  }

  stop(): void {
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.end();
    this.bus.disconnect();
  }

  private written(value: Uint8Array, opts: Options): void {
    const device = String(opts.device?.value ?? "");
    if (!device) throw fail("NotPermitted", "writes carry the central's device");
    const a = this.active;
    if (a && a.device !== device) {
      this.refused++;
      throw fail("NotPermitted", "another phone is connected to this machine over Bluetooth");
    }
    const mtu = Number(opts.mtu?.value ?? DEFAULT_MTU);
    const active = a ?? this.begin(device, mtu);
    active.mtu = mtu;
    active.lastMs = Date.now();
    active.session.written(value);
  }

  /** A central that cannot subscribe (Chromium's emulation) reads the notify characteristic instead. */
  private polled(opts: Options): Uint8Array {
    const a = this.active;
    const device = String(opts.device?.value ?? "");
    if (device && this.readers.size < 64) this.readers.add(device);
    if (!a || a.device !== device) return new Uint8Array();
    a.polling = true;
    a.lastMs = Date.now();
    return a.queue.shift() ?? new Uint8Array();
  }

  private begin(device: string, mtu: number): Active {
    const a: Active = {
      device,
      mtu,
      polling: this.readers.has(device),
      queue: [],
      lastMs: Date.now(),
      stopWatching: () => {},
      session: new BleSession({
        ...this.o,
        mtu: () => a.mtu,
        notify: (chunk) => {
          if (this.active !== a) return;
          // Every chunk is notified and also kept for reading: a phone that finds its notifications
          // never arrive (Chromium's emulation) reads them from the start instead.
          if (!a.polling) this.chars.notify.push(chunk);
          if (a.queue.length >= POLL_QUEUE_CHUNKS) {
            if (a.polling) return this.drop("the phone stopped reading");
            a.queue.shift();
          }
          a.queue.push(chunk);
        },
        disconnect: (why) => this.drop(why),
      }),
    };
    this.active = a;
    void this.watch(a);
    this.o.log?.("info", `bluetooth: ${device} connected`);
    return a;
  }

  /** Ends the session when BlueZ says the device disconnected. */
  private async watch(a: Active): Promise<void> {
    try {
      const props = (await this.bus.getProxyObject(BLUEZ, a.device)).getInterface("org.freedesktop.DBus.Properties");
      const changed = (iface: string, values: Record<string, Variant>) => {
        if (iface === "org.bluez.Device1" && values.Connected?.value === false && this.active === a) this.end();
      };
      props.on("PropertiesChanged", changed);
      a.stopWatching = () => props.removeListener("PropertiesChanged", changed);
    } catch {
      // No such device object: the idle timeout ends the session.
    }
  }

  /** The hub drops the central: its session ends and BlueZ disconnects it. */
  private drop(why: string): void {
    const a = this.active;
    if (!a) return;
    this.o.log?.("warn", `bluetooth: dropping ${a.device}: ${why}`);
    this.end();
    void this.bus
      .getProxyObject(BLUEZ, a.device)
      .then((p) => (p.getInterface("org.bluez.Device1") as unknown as { Disconnect(): Promise<void> }).Disconnect())
      .catch(() => {});
  }

  private end(): void {
    const a = this.active;
    if (!a) return;
    this.active = null;
    this.readers.delete(a.device);
    a.stopWatching();
    a.session.closed();
  }

  private objects(): Record<string, Props> {
    const out: Record<string, Props> = {
      [SERVICE]: { "org.bluez.GattService1": { UUID: v("s", BREWOS_BLE.service), Primary: v("b", true) } },
    };
    for (const [name, c] of Object.entries(this.chars)) {
      out[`${SERVICE}/${name}`] = {
        "org.bluez.GattCharacteristic1": { UUID: v("s", c.uuid), Service: v("o", SERVICE), Flags: v("as", c.flags) },
      };
    }
    return out;
  }
}
