/**
 * @module The machine over Web Bluetooth (docs/api/ble.md): the browser's chooser filtered by the
 * BrewOS service, its info, pairing with the code on the machine's display, the end-to-end channel,
 * and a transport for the hub client — so the app works with no network at all. Loaded only when
 * the owner asks for Bluetooth. One GATT operation at a time, as Web Bluetooth requires. Chunks come
 * by notification; when none arrive (Chromium's Bluetooth emulation cannot notify) the app reads
 * the notify characteristic instead, which the hub answers from the same queue. A dropped link is
 * connected again by the transport (the device chosen once needs no chooser), with a new channel.
 */
import { fromBase64Url, idForPublicKey, keyPair, pairWithHub } from "@brewos/protocol/auth";
import { BREWOS_BLE, type BrewosBleInfo } from "@brewos/protocol/ble/brewos-service";
import { BrewosBleClient } from "@brewos/protocol/ble/client";
import type { Credentials } from "../credentials.ts";
import type { HubSocket, HubTransport } from "../transport.ts";

interface BtCharacteristic extends EventTarget {
  readonly value?: DataView;
  readValue(): Promise<DataView>;
  startNotifications(): Promise<BtCharacteristic>;
  writeValueWithResponse(v: BufferSource): Promise<void>;
}
interface BtService {
  getCharacteristic(uuid: string): Promise<BtCharacteristic>;
}
interface BtServer {
  readonly connected: boolean;
  connect(): Promise<BtServer>;
  disconnect(): void;
  getPrimaryService(uuid: string): Promise<BtService>;
}
interface BtDevice extends EventTarget {
  readonly id: string;
  readonly name?: string;
  readonly gatt?: BtServer;
}
interface BtApi {
  requestDevice(o: { filters: { services: string[] }[] }): Promise<BtDevice>;
  /** The devices this origin was allowed before (Chrome with the new permissions backend). */
  getDevices?(): Promise<BtDevice[]>;
}

const api = (): BtApi => {
  const bt = (navigator as unknown as { bluetooth?: BtApi }).bluetooth;
  if (!bt) throw new Error("this browser has no Web Bluetooth (on an iPhone, set the machine up over Wi-Fi)");
  return bt;
};
/** Which Bluetooth device (the browser's id for it) a machine (its hub id) was last reached on. */
const deviceKey = (hubId: string) => `brewos.ble-device.${hubId}`;

/** Until the hub's first chunk arrives by notification, how long before the app reads instead. */
const NOTIFY_GRACE_MS = 1500;
const POLL_IDLE_MS = 150;
/** Web Bluetooth's ATT MTU is not exposed; 23 is what every link has. */
const MTU = 23;

const bytesOf = (v: DataView): Uint8Array => new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));

type RestAnswer = { status: number; body: Record<string, unknown> };

/** One GATT connection: its characteristics and the framing on it. */
class Link {
  readonly client: BrewosBleClient;
  closed = false;
  notified = false;
  polling = false;
  private ops: Promise<unknown> = Promise.resolve();

  constructor(
    readonly server: BtServer,
    readonly chars: { write: BtCharacteristic; notify: BtCharacteristic; info: BtCharacteristic },
  ) {
    this.client = new BrewosBleClient({
      write: (c) => this.one(() => chars.write.writeValueWithResponse(Uint8Array.from(c))),
      mtu: () => MTU,
    });
  }

  /** Web Bluetooth allows one GATT operation at a time. */
  one<T>(f: () => Promise<T>): Promise<T> {
    const next = this.ops.then(f, f);
    this.ops = next.catch(() => {});
    return next;
  }

  /** The hub is about to answer: if no notification has arrived by then, read instead. */
  expectReply(): void {
    if (this.notified || this.polling) return;
    setTimeout(() => {
      if (!this.notified) this.startPolling();
    }, NOTIFY_GRACE_MS);
  }

  startPolling(): void {
    if (this.polling) return;
    this.polling = true;
    void (async () => {
      while (!this.closed) {
        const v = await this.one(() => this.chars.notify.readValue()).catch(() => null);
        const chunk = v ? bytesOf(v) : new Uint8Array();
        if (chunk.length > 0) this.client.notified(chunk);
        else await new Promise((r) => setTimeout(r, POLL_IDLE_MS));
      }
    })();
  }
}

export class BleHub {
  private link: Link | null = null;
  private creds: Credentials | null = null;
  private readonly textListeners = new Set<(text: string) => void>();
  private readonly dropListeners = new Set<(why: string) => void>();
  private readonly pendingRest = new Map<string, (r: RestAnswer) => void>();
  private nextRest = 0;

  private constructor(readonly device: BtDevice) {
    device.addEventListener("gattserverdisconnected", () => this.dropped("the machine's Bluetooth disconnected"));
  }

  /** The chooser (call from a tap), then the connection and the service. */
  static async choose(): Promise<BleHub> {
    const hub = new BleHub(await api().requestDevice({ filters: [{ services: [BREWOS_BLE.service] }] }));
    await hub.connect();
    return hub;
  }

  /** A machine reached over Bluetooth before (call from a tap): that device without the chooser
   * where the browser remembers it, else the chooser. */
  static async again(hubId: string): Promise<BleHub> {
    const bt = api();
    const known = localStorage.getItem(deviceKey(hubId));
    const device = known && bt.getDevices ? (await bt.getDevices()).find((d) => d.id === known) : undefined;
    if (!device) return BleHub.choose();
    const hub = new BleHub(device);
    await hub.connect();
    return hub;
  }

  /** This device is that machine (checked by its info): the next time needs no chooser. */
  remember(hubId: string): void {
    localStorage.setItem(deviceKey(hubId), this.device.id);
  }

  async info(): Promise<BrewosBleInfo> {
    const l = this.live();
    const v = await l.one(() => l.chars.info.readValue());
    return JSON.parse(new TextDecoder().decode(bytesOf(v))) as BrewosBleInfo;
  }

  /** Pairs this app with the code on the machine's display; the credentials to keep. */
  async pair(code: string, name: string, info: BrewosBleInfo): Promise<Credentials> {
    const l = this.live();
    const keys = keyPair();
    const hubKey = fromBase64Url(info.hub_public_key);
    if (!hubKey || idForPublicKey(hubKey) !== info.device_id) throw new Error("the machine's key does not match its id");
    l.expectReply();
    const paired = await pairWithHub({
      base: "http://hub",
      keys,
      name,
      secret: code,
      via: "typed",
      expectHubKey: hubKey,
      fetch: l.client.fetch,
    });
    return { keys, appId: paired.appId, deviceId: paired.deviceId, hubPublicKey: paired.hubPublicKey };
  }

  /** The end-to-end channel as this paired app (kept for reconnecting). */
  async openChannel(c: Credentials): Promise<void> {
    this.creds = c;
    const l = this.live();
    if (l.client.channelOpen) return;
    l.expectReply();
    await l.client.openChannel(
      { ...c.keys, id: c.appId },
      { publicKey: fromBase64Url(c.hubPublicKey) ?? new Uint8Array(32), id: c.deviceId },
    );
  }

  /** A REST request inside the channel (socket REST): status and JSON body. */
  async request(method: string, path: string, body?: object): Promise<RestAnswer> {
    const id = `setup${++this.nextRest}`;
    const answer = new Promise<RestAnswer>((resolve) => this.pendingRest.set(id, resolve));
    await this.live().client.send({ type: "http", id, method, path, ...(body ? { body: JSON.stringify(body) } : {}) });
    return answer;
  }

  /** The hub client's transport: this connection while it lasts, then the same machine again. */
  transport(): HubTransport {
    return {
      describe: `Bluetooth (${this.device.name ?? "BrewOS"})`,
      open: (events): HubSocket => {
        let live = true;
        const onText = (text: string) => {
          if (live) events.onMessage(text);
        };
        const onDrop = (why: string) => {
          if (!live) return;
          live = false;
          forget();
          events.onClose(why);
        };
        const forget = () => {
          this.textListeners.delete(onText);
          this.dropListeners.delete(onDrop);
        };
        this.textListeners.add(onText);
        this.dropListeners.add(onDrop);
        void (async () => {
          try {
            if (!this.link || this.link.closed) {
              await this.connect();
              if (this.creds) await this.openChannel(this.creds);
            }
            if (!live) return;
            events.onOpen();
            await this.live().client.send({ type: "resync" }); // the state from now (what came before went to setup)
          } catch (e) {
            onDrop(`Bluetooth: ${(e as Error).message}`);
          }
        })();
        return {
          send: (text) => void this.link?.client.sendText(text).catch((e: Error) => this.dropped(`Bluetooth: ${e.message}`)),
          // The client is done with this machine (another one chosen, or it stopped answering):
          // the GATT link ends too, so the machine's one Bluetooth session is free.
          close: () => {
            live = false;
            forget();
            this.close();
          },
        };
      },
    };
  }

  close(): void {
    const l = this.link;
    this.dropped("closed");
    l?.server.disconnect();
  }

  private live(): Link {
    if (!this.link || this.link.closed) throw new Error("the machine's Bluetooth is not connected");
    return this.link;
  }

  /** A GATT connection to the chosen device, subscribed (or reading), its framing wired up. */
  private async connect(): Promise<void> {
    const gatt = this.device.gatt;
    if (!gatt) throw new Error("the machine offers no GATT server");
    const server = await gatt.connect();
    const service = await server.getPrimaryService(BREWOS_BLE.service);
    const link = new Link(server, {
      write: await service.getCharacteristic(BREWOS_BLE.write),
      notify: await service.getCharacteristic(BREWOS_BLE.notify),
      info: await service.getCharacteristic(BREWOS_BLE.info),
    });
    link.client.onText((text) => {
      for (const l of this.textListeners) l(text);
    });
    link.client.onMessage((m) => {
      const done = m.type === "http_result" && typeof m.id === "string" ? this.pendingRest.get(m.id) : undefined;
      if (!done) return;
      this.pendingRest.delete(m.id as string);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(String(m.body ?? "{}")) as Record<string, unknown>;
      } catch {
        // not JSON: the status says enough
      }
      done({ status: Number(m.status), body });
    });
    link.chars.notify.addEventListener("characteristicvaluechanged", () => {
      const v = link.chars.notify.value;
      if (!v || link.polling || link.closed) return;
      link.notified = true;
      link.client.notified(bytesOf(v));
    });
    this.link = link;
    await link.one(() => link.chars.notify.startNotifications()).catch(() => link.startPolling());
  }

  private dropped(why: string): void {
    const l = this.link;
    if (!l || l.closed) return;
    l.closed = true;
    for (const d of [...this.dropListeners]) d(why);
  }
}
