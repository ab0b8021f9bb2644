/**
 * Test harness: a fake org.freedesktop.NetworkManager on a private dbus-daemon (privateBus), written
 * on dbus-next's service API with the parts of the real D-Bus API the hub uses — the manager
 * (GetDevices, AddAndActivateConnection), one Wi-Fi device (DeviceType 2, Ip4Config) with its
 * Device.Wireless (RequestScan, GetAllAccessPoints, ActiveAccessPoint), access points (Ssid,
 * Strength, Flags, WpaFlags, RsnFlags), the active connection (State, StateChanged) and IP4Config
 * (AddressData). Each network has a password; a join with the wrong one ends deactivated with
 * reason 9 (no secrets), as NetworkManager reports a refused key.
 */
import dbus from "dbus-next";

const { Interface } = dbus.interface;
const READ = dbus.interface.ACCESS_READ;
const NM = "org.freedesktop.NetworkManager";
const ROOT = "/org/freedesktop/NetworkManager";
const DEVICE = `${ROOT}/Devices/3`;
type Variant = InstanceType<typeof dbus.Variant>;

export interface FakeWifiNetwork {
  ssid: string;
  strength: number;
  /** null: an open network. */
  password: string | null;
}

class AccessPoint extends Interface {
  constructor(readonly net: FakeWifiNetwork) {
    super(`${NM}.AccessPoint`);
  }
  get Ssid() {
    return Buffer.from(this.net.ssid, "utf8");
  }
  get Strength() {
    return this.net.strength;
  }
  get Flags() {
    return this.net.password === null ? 0 : 1;
  }
  get WpaFlags() {
    return 0;
  }
  get RsnFlags() {
    return this.net.password === null ? 0 : 0x188;
  }
}
AccessPoint.configureMembers({
  properties: {
    Ssid: { signature: "ay", access: READ },
    Strength: { signature: "y", access: READ },
    Flags: { signature: "u", access: READ },
    WpaFlags: { signature: "u", access: READ },
    RsnFlags: { signature: "u", access: READ },
  },
});

class Device extends Interface {
  ip4 = "/";
  constructor() {
    super(`${NM}.Device`);
  }
  get DeviceType() {
    return 2;
  }
  get Interface() {
    return "wlan0";
  }
  get Ip4Config() {
    return this.ip4;
  }
}
Device.configureMembers({
  properties: {
    DeviceType: { signature: "u", access: READ },
    Interface: { signature: "s", access: READ },
    Ip4Config: { signature: "o", access: READ },
  },
});

class Wireless extends Interface {
  active = "/";
  scans = 0;
  constructor(private readonly aps: () => string[]) {
    super(`${NM}.Device.Wireless`);
  }
  get ActiveAccessPoint() {
    return this.active;
  }
  RequestScan(_o: unknown) {
    this.scans++;
  }
  GetAllAccessPoints() {
    return this.aps();
  }
}
Wireless.configureMembers({
  properties: { ActiveAccessPoint: { signature: "o", access: READ } },
  methods: {
    RequestScan: { inSignature: "a{sv}", outSignature: "" },
    GetAllAccessPoints: { inSignature: "", outSignature: "ao" },
  },
});

class ActiveConnection extends Interface {
  state = 1;
  constructor() {
    super(`${NM}.Connection.Active`);
  }
  get State() {
    return this.state;
  }
  StateChanged(state: number, reason: number) {
    return [state, reason];
  }
  set(state: number, reason: number) {
    this.state = state;
    this.StateChanged(state, reason);
  }
}
ActiveConnection.configureMembers({
  properties: { State: { signature: "u", access: READ } },
  signals: { StateChanged: { signature: "uu" } },
});

class IP4Config extends Interface {
  constructor(private readonly address: string) {
    super(`${NM}.IP4Config`);
  }
  get AddressData() {
    return [{ address: new dbus.Variant("s", this.address), prefix: new dbus.Variant("u", 24) }];
  }
}
IP4Config.configureMembers({ properties: { AddressData: { signature: "aa{sv}", access: READ } } });

class Manager extends Interface {
  constructor(private readonly join: (settings: Record<string, Record<string, Variant>>, ap: string) => [string, string]) {
    super(NM);
  }
  GetDevices() {
    return [DEVICE];
  }
  AddAndActivateConnection(settings: Record<string, Record<string, Variant>>, _device: string, ap: string) {
    return this.join(settings, ap);
  }
}
Manager.configureMembers({
  methods: {
    GetDevices: { inSignature: "", outSignature: "ao" },
    AddAndActivateConnection: { inSignature: "a{sa{sv}}oo", outSignature: "oo" },
  },
});

export class FakeNetworkManager {
  /** What each join was asked, password included (so a test can check it arrived intact). */
  readonly joins: { ssid: string; psk: string | null }[] = [];
  private readonly aps = new Map<string, AccessPoint>();
  private readonly device = new Device();
  private readonly wireless: Wireless;
  private next = 1;

  private constructor(
    private readonly bus: ReturnType<typeof dbus.sessionBus>,
    networks: FakeWifiNetwork[],
    private readonly address: string,
  ) {
    this.wireless = new Wireless(() => [...this.aps.keys()]);
    for (const [i, n] of networks.entries()) this.aps.set(`${ROOT}/AccessPoint/${i + 1}`, new AccessPoint(n));
  }

  static async start(busAddress: string, networks: FakeWifiNetwork[], address = "192.168.1.57"): Promise<FakeNetworkManager> {
    const bus = dbus.sessionBus({ busAddress });
    const f = new FakeNetworkManager(bus, networks, address);
    await bus.requestName(NM, 0);
    bus.export(ROOT, new Manager((s, ap) => f.join(s, ap)));
    bus.export(DEVICE, f.device);
    bus.export(DEVICE, f.wireless);
    for (const [path, ap] of f.aps) bus.export(path, ap);
    return f;
  }

  get scans(): number {
    return this.wireless.scans;
  }

  stop(): void {
    this.bus.disconnect();
  }

  private join(settings: Record<string, Record<string, Variant>>, apPath: string): [string, string] {
    const ap = this.aps.get(apPath);
    if (!ap) throw new dbus.DBusError(`${NM}.UnknownConnection`, "no such access point");
    const ssid = Buffer.from(settings["802-11-wireless"]?.ssid?.value as Buffer).toString("utf8");
    const psk = (settings["802-11-wireless-security"]?.psk?.value as string | undefined) ?? null;
    this.joins.push({ ssid, psk });
    const n = this.next++;
    const activePath = `${ROOT}/ActiveConnection/${n}`;
    const active = new ActiveConnection();
    this.bus.export(activePath, active);
    const accepted = ssid === ap.net.ssid && (ap.net.password === null || psk === ap.net.password);
    setTimeout(() => {
      if (accepted) {
        const ip4 = `${ROOT}/IP4Config/${n}`;
        this.bus.export(ip4, new IP4Config(this.address));
        this.device.ip4 = ip4;
        this.wireless.active = apPath;
        active.set(2, 1);
      } else active.set(4, 9);
    }, 50);
    return [`${ROOT}/Settings/${n}`, activePath];
  }
}
