/**
 * Test harness, the other half of FakeBluez: the peripheral role. The fake answers
 * GattManager1.RegisterApplication and LEAdvertisingManager1.RegisterAdvertisement on its adapter,
 * as BlueZ does, then reads the application's objects back over D-Bus. A FakeCentral is a phone in
 * range: a Device1 object under the adapter, its writes are WriteValue calls on the hub's
 * characteristics with BlueZ's server-side options (device, mtu, type, link), and it hears the
 * hub's notifications as PropertiesChanged on Value — every subscribed central hears every one, as
 * with the real BlueZ. Disconnecting flips Device1.Connected, which the hub watches.
 */
import dbus from "dbus-next";

const { Interface } = dbus.interface;
const READ = dbus.interface.ACCESS_READ;
const ADAPTER = "/org/bluez/hci0";
type Variant = InstanceType<typeof dbus.Variant>;
type Bus = ReturnType<typeof dbus.sessionBus>;
type Managed = Record<string, Record<string, Record<string, Variant>>>;

interface Registration {
  sender: string;
  path: string;
}

class CentralDevice extends Interface {
  connected = true;
  constructor(
    private readonly address: string,
    private readonly onDisconnect: () => void,
  ) {
    super("org.bluez.Device1");
  }
  get Address() {
    return this.address;
  }
  get Connected() {
    return this.connected;
  }
  Disconnect() {
    this.drop();
    this.onDisconnect();
  }
  back() {
    if (this.connected) return;
    this.connected = true;
    Interface.emitPropertiesChanged(this, { Connected: true }, []);
  }
  drop() {
    if (!this.connected) return;
    this.connected = false;
    Interface.emitPropertiesChanged(this, { Connected: false }, []);
  }
}
CentralDevice.configureMembers({
  properties: { Address: { signature: "s", access: READ }, Connected: { signature: "b", access: READ } },
  methods: { Disconnect: { inSignature: "", outSignature: "" } },
});

interface CharProxy {
  ReadValue(o: Record<string, Variant>): Promise<Buffer>;
  WriteValue(v: Buffer, o: Record<string, Variant>): Promise<void>;
  StartNotify(): Promise<void>;
  StopNotify(): Promise<void>;
}

export class FakeCentral {
  readonly path: string;
  readonly notifications: Uint8Array[] = [];
  /** Set when the hub dropped this central (it called Device1.Disconnect). */
  droppedByHub = false;
  private readonly device: CentralDevice;
  private chars = new Map<string, CharProxy>();
  private listeners: ((v: Uint8Array) => void)[] = [];
  private stopListening: () => void = () => {};

  constructor(
    private readonly bus: Bus,
    private readonly app: () => Registration | null,
    address: string,
    public mtu: number,
  ) {
    this.path = `${ADAPTER}/dev_${address.replaceAll(":", "_")}`;
    this.device = new CentralDevice(address, () => {
      this.droppedByHub = true;
    });
    bus.export(this.path, this.device);
  }

  /** Discovers the hub's service and subscribes to its notify characteristic (`subscribe`: false reads instead). */
  async connect(notifyUuid: string, subscribe = true): Promise<void> {
    const app = this.app();
    if (!app) throw new Error("no GATT application is registered");
    const om = (await this.bus.getProxyObject(app.sender, app.path)).getInterface("org.freedesktop.DBus.ObjectManager") as unknown as {
      GetManagedObjects(): Promise<Managed>;
    };
    for (const [path, ifaces] of Object.entries(await om.GetManagedObjects())) {
      const c = ifaces["org.bluez.GattCharacteristic1"];
      if (!c) continue;
      const proxy = await this.bus.getProxyObject(app.sender, path);
      this.chars.set(String(c.UUID?.value), proxy.getInterface("org.bluez.GattCharacteristic1") as unknown as CharProxy);
      if (c.UUID?.value === notifyUuid && subscribe) {
        const props = proxy.getInterface("org.freedesktop.DBus.Properties");
        const changed = (iface: string, values: Record<string, Variant>) => {
          if (iface !== "org.bluez.GattCharacteristic1" || !values.Value || !this.device.connected) return;
          const value = Uint8Array.from(values.Value.value as Buffer);
          this.notifications.push(value);
          for (const l of this.listeners) l(value);
        };
        props.on("PropertiesChanged", changed);
        this.stopListening = () => props.removeListener("PropertiesChanged", changed);
      }
    }
    if (subscribe) await this.char(notifyUuid).StartNotify();
  }

  onNotify(f: (v: Uint8Array) => void): void {
    this.listeners.push(f);
  }

  write(uuid: string, value: Uint8Array): Promise<void> {
    return this.char(uuid).WriteValue(Buffer.from(value), this.options());
  }

  async read(uuid: string, offset = 0): Promise<Uint8Array> {
    return Uint8Array.from(await this.char(uuid).ReadValue({ ...this.options(), offset: new dbus.Variant("q", offset) }));
  }

  /** The phone is back in range and connects again (the same device object, as BlueZ keeps it). */
  reconnect(): void {
    this.device.back();
    this.droppedByHub = false;
  }

  /** The phone goes away (out of range, Bluetooth off). */
  disconnect(): void {
    this.stopListening();
    this.device.drop();
  }

  get connected(): boolean {
    return this.device.connected;
  }

  private options(): Record<string, Variant> {
    return {
      device: new dbus.Variant("o", this.path),
      mtu: new dbus.Variant("q", this.mtu),
      type: new dbus.Variant("s", "request"),
      link: new dbus.Variant("s", "LE"),
    };
  }

  private char(uuid: string): CharProxy {
    const c = this.chars.get(uuid);
    if (!c) throw new Error(`no characteristic ${uuid}`);
    return c;
  }
}

/** The adapter's GattManager1 and LEAdvertisingManager1, answering on `bus` (the fake org.bluez's). */
export class FakePeripheralManager {
  app: Registration | null = null;
  advertisement: (Registration & { props: Record<string, unknown> }) | null = null;

  constructor(private readonly bus: Bus) {
    bus.addMethodHandler((msg: InstanceType<typeof dbus.Message>) => {
      if (msg.path !== ADAPTER) return false;
      // dbus-next's types give newError a string where it takes the message.
      const asCall = msg as unknown as string;
      const reply = (error?: string) =>
        bus.send(error ? dbus.Message.newError(asCall, "org.bluez.Error.AlreadyExists", error) : dbus.Message.newMethodReturn(msg, "", []));
      const path = String(msg.body?.[0] ?? "");
      if (msg.interface === "org.bluez.GattManager1" && msg.member === "RegisterApplication") {
        if (this.app) reply("an application is registered");
        else {
          this.app = { sender: String(msg.sender), path };
          reply();
        }
        return true;
      }
      if (msg.interface === "org.bluez.LEAdvertisingManager1" && msg.member === "RegisterAdvertisement") {
        const sender = String(msg.sender);
        reply();
        void this.readAdvertisement(sender, path);
        return true;
      }
      return false;
    });
  }

  central(address: string, mtu = 23): FakeCentral {
    return new FakeCentral(this.bus, () => this.app, address, mtu);
  }

  private async readAdvertisement(sender: string, path: string): Promise<void> {
    const props = (await this.bus.getProxyObject(sender, path)).getInterface("org.freedesktop.DBus.Properties") as unknown as {
      GetAll(iface: string): Promise<Record<string, Variant>>;
    };
    const all = await props.GetAll("org.bluez.LEAdvertisement1");
    this.advertisement = { sender, path, props: Object.fromEntries(Object.entries(all).map(([k, x]) => [k, x.value])) };
  }
}
