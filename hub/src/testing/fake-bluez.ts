/**
 * Test harness: a private `dbus-daemon` and a fake `org.bluez` on it, written on dbus-next's service
 * API — ObjectManager at /, Adapter1 at /org/bluez/hci0, and per scale a Device1 with GattService1 and
 * GattCharacteristic1 objects whose notifications are PropertiesChanged on Value, as BlueZ sends them.
 * A fake scale's "radio" is a GattConnector (the simulator's virtual Decent Scale, or a script): what
 * it notifies reaches the hub over D-Bus, what the hub writes reaches it. Scales can be switched off.
 * No virtual HCI exists here or in CI; this is the real client code against a real bus.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uuid16 } from "@brewos/protocol/scales";
import dbus from "dbus-next";
import type { GattConnector, GattLink } from "../scale/gatt-link.ts";
import { FakePeripheralManager } from "./fake-bluez-peripheral.ts";

const { Interface } = dbus.interface;
const READ = dbus.interface.ACCESS_READ;
type Props = Record<string, Record<string, InstanceType<typeof dbus.Variant>>>;

/** A private session-type bus in a temporary folder; stop() ends it. */
export async function privateBus(): Promise<{ address: string; stop: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), "brewos-dbus-"));
  // Its stderr only ever says it could not raise its fd limit (no root here): not worth showing.
  const p = spawn("dbus-daemon", ["--session", "--nofork", "--print-address=1", `--address=unix:path=${join(dir, "bus")}`], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const address = await new Promise<string>((resolve, reject) => {
    let out = "";
    p.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve(out.slice(0, nl).trim());
    });
    p.on("exit", (code) => reject(new Error(`dbus-daemon exited (${code}); is it installed?`)));
  });
  return {
    address,
    stop: () => {
      p.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface FakeScaleSpec {
  address: string;
  name: string;
  service: number;
  /** Characteristics with their 16-bit UUIDs (what the GattConnector speaks). */
  characteristics: { uuid: number; flags: string[] }[];
  radio: GattConnector;
}

class ObjectManager extends Interface {
  constructor(private readonly objects: () => Record<string, Props>) {
    super("org.freedesktop.DBus.ObjectManager");
  }
  GetManagedObjects() {
    return this.objects();
  }
  InterfacesAdded(path: string, ifaces: Props) {
    return [path, ifaces];
  }
  InterfacesRemoved(path: string, names: string[]) {
    return [path, names];
  }
}
ObjectManager.configureMembers({
  methods: { GetManagedObjects: { inSignature: "", outSignature: "a{oa{sa{sv}}}" } },
  signals: { InterfacesAdded: { signature: "oa{sa{sv}}" }, InterfacesRemoved: { signature: "oas" } },
});

class Adapter extends Interface {
  discovering = false;
  constructor() {
    super("org.bluez.Adapter1");
  }
  get Discovering() {
    return this.discovering;
  }
  get Address() {
    return "00:1A:7D:DA:71:13";
  }
  StartDiscovery() {
    this.discovering = true;
  }
  StopDiscovery() {
    this.discovering = false;
  }
  SetDiscoveryFilter(_filter: unknown) {}
}
Adapter.configureMembers({
  properties: { Discovering: { signature: "b", access: READ }, Address: { signature: "s", access: READ } },
  methods: {
    StartDiscovery: { inSignature: "", outSignature: "" },
    StopDiscovery: { inSignature: "", outSignature: "" },
    SetDiscoveryFilter: { inSignature: "a{sv}", outSignature: "" },
  },
});

class Device extends Interface {
  connected = false;
  resolved = false;
  powered = true;
  link: GattLink | null = null;
  constructor(
    readonly spec: FakeScaleSpec,
    private readonly onNotify: (uuid: number, value: Uint8Array) => void,
  ) {
    super("org.bluez.Device1");
  }
  get Name() {
    return this.spec.name;
  }
  get Alias() {
    return this.spec.name;
  }
  get Address() {
    return this.spec.address;
  }
  get Connected() {
    return this.connected;
  }
  get ServicesResolved() {
    return this.resolved;
  }
  get UUIDs() {
    return [uuid16(this.spec.service)];
  }
  async Connect() {
    if (!this.powered) throw new dbus.DBusError("org.bluez.Error.Failed", "Page Timeout");
    if (this.connected) return;
    this.link = await this.spec.radio({
      onNotify: (c, v) => this.onNotify(c, v),
      onClose: () => this.drop(),
    });
    this.connected = this.resolved = true;
    Interface.emitPropertiesChanged(this, { Connected: true, ServicesResolved: true }, []);
  }
  async Disconnect() {
    await this.link?.close();
    this.drop();
  }
  drop() {
    this.link = null;
    if (!this.connected) return;
    this.connected = this.resolved = false;
    Interface.emitPropertiesChanged(this, { Connected: false, ServicesResolved: false }, []);
  }
}
Device.configureMembers({
  properties: {
    Name: { signature: "s", access: READ },
    Alias: { signature: "s", access: READ },
    Address: { signature: "s", access: READ },
    Connected: { signature: "b", access: READ },
    ServicesResolved: { signature: "b", access: READ },
    UUIDs: { signature: "as", access: READ },
  },
  methods: { Connect: { inSignature: "", outSignature: "" }, Disconnect: { inSignature: "", outSignature: "" } },
});

class GattService extends Interface {
  constructor(
    private readonly uuid: string,
    private readonly device: string,
  ) {
    super("org.bluez.GattService1");
  }
  get UUID() {
    return this.uuid;
  }
  get Device() {
    return this.device;
  }
  get Primary() {
    return true;
  }
}
GattService.configureMembers({
  properties: {
    UUID: { signature: "s", access: READ },
    Device: { signature: "o", access: READ },
    Primary: { signature: "b", access: READ },
  },
});

class Characteristic extends Interface {
  notifying = false;
  value: Buffer = Buffer.alloc(0);
  writes: Uint8Array[] = [];
  constructor(
    readonly uuid16: number,
    private readonly service: string,
    private readonly flags: string[],
    private readonly device: Device,
  ) {
    super("org.bluez.GattCharacteristic1");
  }
  get UUID() {
    return uuid16(this.uuid16);
  }
  get Service() {
    return this.service;
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
  StartNotify() {
    if (!this.device.connected) throw new dbus.DBusError("org.bluez.Error.NotConnected", "Not Connected");
    this.notifying = true;
  }
  StopNotify() {
    this.notifying = false;
  }
  ReadValue(_o: unknown) {
    return this.value;
  }
  WriteValue(value: Buffer, _o: unknown) {
    if (!this.device.connected || !this.device.link) throw new dbus.DBusError("org.bluez.Error.NotConnected", "Not Connected");
    this.writes.push(Uint8Array.from(value));
    this.device.link.write(this.uuid16, Uint8Array.from(value));
  }
  push(v: Uint8Array) {
    if (!this.notifying) return;
    this.value = Buffer.from(v);
    Interface.emitPropertiesChanged(this, { Value: this.value }, []);
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
    StartNotify: { inSignature: "", outSignature: "" },
    StopNotify: { inSignature: "", outSignature: "" },
    ReadValue: { inSignature: "a{sv}", outSignature: "ay" },
    WriteValue: { inSignature: "aya{sv}", outSignature: "" },
  },
});

const v = (s: string, x: unknown) => new dbus.Variant(s, x);

export class FakeBluez {
  private readonly devices = new Map<string, { device: Device; chars: Characteristic[]; service: GattService; servicePath: string }>();
  private readonly om: ObjectManager;
  private readonly adapter = new Adapter();
  /** The peripheral role: GATT applications and advertisements registered by the hub, phones in range. */
  readonly peripheral: FakePeripheralManager;

  private constructor(private readonly bus: ReturnType<typeof dbus.sessionBus>) {
    this.om = new ObjectManager(() => this.objects());
    this.peripheral = new FakePeripheralManager(bus);
  }

  static async start(address: string): Promise<FakeBluez> {
    const bus = dbus.sessionBus({ busAddress: address });
    const f = new FakeBluez(bus);
    await bus.requestName("org.bluez", 0);
    bus.export("/", f.om);
    bus.export("/org/bluez/hci0", f.adapter);
    return f;
  }

  /** A scale appears in range (InterfacesAdded, as BlueZ announces a discovered device). */
  addScale(spec: FakeScaleSpec): string {
    const path = `/org/bluez/hci0/dev_${spec.address.replaceAll(":", "_")}`;
    const servicePath = `${path}/service0010`;
    const chars: Characteristic[] = [];
    const device = new Device(spec, (uuid, value) => chars.find((c) => c.uuid16 === uuid)?.push(value));
    const service = new GattService(uuid16(spec.service), path);
    for (const c of spec.characteristics) chars.push(new Characteristic(c.uuid, servicePath, c.flags, device));
    this.bus.export(path, device);
    this.bus.export(servicePath, service);
    for (const [i, c] of chars.entries()) this.bus.export(`${servicePath}/char00${(0x11 + i).toString(16)}`, c);
    this.devices.set(path, { device, chars, service, servicePath });
    const all = this.objects();
    this.om.InterfacesAdded(path, all[path] as Props);
    return path;
  }

  /** The owner switches the scale off: the link drops and connects fail until it is back. */
  async powerOff(path: string): Promise<void> {
    const d = this.devices.get(path);
    if (!d) return;
    d.device.powered = false;
    await d.device.link?.close();
    d.device.drop();
  }

  powerOn(path: string): void {
    const d = this.devices.get(path);
    if (d) d.device.powered = true;
  }

  writesTo(path: string): Uint8Array[] {
    return this.devices.get(path)?.chars.flatMap((c) => c.writes) ?? [];
  }

  stop(): void {
    this.bus.disconnect();
  }

  private objects(): Record<string, Props> {
    const out: Record<string, Props> = {
      "/org/bluez/hci0": { "org.bluez.Adapter1": { Address: v("s", this.adapter.Address), Discovering: v("b", this.adapter.discovering) } },
    };
    for (const [path, d] of this.devices) {
      out[path] = {
        "org.bluez.Device1": {
          Name: v("s", d.device.Name),
          Alias: v("s", d.device.Alias),
          Address: v("s", d.device.Address),
          Connected: v("b", d.device.connected),
          ServicesResolved: v("b", d.device.resolved),
          UUIDs: v("as", d.device.UUIDs),
          RSSI: v("n", -52),
        },
      };
      out[d.servicePath] = { "org.bluez.GattService1": { UUID: v("s", d.service.UUID), Device: v("o", path), Primary: v("b", true) } };
      d.chars.forEach((c, i) => {
        out[`${d.servicePath}/char00${(0x11 + i).toString(16)}`] = {
          "org.bluez.GattCharacteristic1": {
            UUID: v("s", c.UUID),
            Service: v("o", d.servicePath),
            Flags: v("as", c.Flags),
            Notifying: v("b", c.notifying),
          },
        };
      });
    }
    return out;
  }
}
