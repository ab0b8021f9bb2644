/**
 * @module The machine over Web Bluetooth (docs/api/ble.md): the browser's chooser filtered by the
 * BrewOS service, its info, pairing with the code on the machine's display, the end-to-end channel,
 * and a transport for the hub client — so the app works with no network at all. Loaded only when
 * the owner asks for Bluetooth. One GATT operation at a time, as Web Bluetooth requires. Chunks come
 * by notification; when none arrive (Chromium's Bluetooth emulation cannot notify) the app reads
 * the notify characteristic instead, which the hub answers from the same queue.
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
}

export const hasWebBluetooth = (): boolean => typeof navigator !== "undefined" && "bluetooth" in navigator;

/** Until the hub's first chunk arrives by notification, how long before the app reads instead. */
const NOTIFY_GRACE_MS = 1500;
const POLL_IDLE_MS = 150;
/** Web Bluetooth's ATT MTU is not exposed; 23 is what every link has. */
const MTU = 23;

const bytesOf = (v: DataView): Uint8Array => new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));

export class BleHub {
  readonly client: BrewosBleClient;
  private ops: Promise<unknown> = Promise.resolve();
  private notified = false;
  private polling = false;
  private closed = false;
  private readonly closeListeners: ((why: string) => void)[] = [];
  private readonly pendingRest = new Map<string, (r: { status: number; body: Record<string, unknown> }) => void>();
  private nextRest = 0;

  private constructor(
    readonly device: BtDevice,
    private readonly server: BtServer,
    private readonly chars: { write: BtCharacteristic; notify: BtCharacteristic; info: BtCharacteristic },
  ) {
    this.client = new BrewosBleClient({
      write: (c) => this.one(() => chars.write.writeValueWithResponse(Uint8Array.from(c))),
      mtu: () => MTU,
    });
    device.addEventListener("gattserverdisconnected", () => this.gone("the machine's Bluetooth disconnected"));
    this.client.onMessage((m) => {
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
  }

  /** The chooser (call from a tap), then the connection and the service. */
  static async choose(): Promise<BleHub> {
    const bt = (navigator as unknown as { bluetooth?: BtApi }).bluetooth;
    if (!bt) throw new Error("this browser has no Web Bluetooth (on an iPhone, set the machine up over Wi-Fi)");
    const device = await bt.requestDevice({ filters: [{ services: [BREWOS_BLE.service] }] });
    if (!device.gatt) throw new Error("the machine offers no GATT server");
    const server = await device.gatt.connect();
    const service = await server.getPrimaryService(BREWOS_BLE.service);
    const chars = {
      write: await service.getCharacteristic(BREWOS_BLE.write),
      notify: await service.getCharacteristic(BREWOS_BLE.notify),
      info: await service.getCharacteristic(BREWOS_BLE.info),
    };
    const hub = new BleHub(device, server, chars);
    chars.notify.addEventListener("characteristicvaluechanged", () => {
      const v = chars.notify.value;
      if (!v || hub.polling) return;
      hub.notified = true;
      hub.client.notified(bytesOf(v));
    });
    await hub.one(() => chars.notify.startNotifications()).catch(() => hub.startPolling());
    return hub;
  }

  async info(): Promise<BrewosBleInfo> {
    const v = await this.one(() => this.chars.info.readValue());
    return JSON.parse(new TextDecoder().decode(bytesOf(v))) as BrewosBleInfo;
  }

  /** Pairs this app with the code on the machine's display; the credentials to keep. */
  async pair(code: string, name: string, info: BrewosBleInfo): Promise<Credentials> {
    const keys = keyPair();
    const hubKey = fromBase64Url(info.hub_public_key);
    if (!hubKey || idForPublicKey(hubKey) !== info.device_id) throw new Error("the machine's key does not match its id");
    this.expectReply();
    const paired = await pairWithHub({
      base: "http://hub",
      keys,
      name,
      secret: code,
      via: "typed",
      expectHubKey: hubKey,
      fetch: this.client.fetch,
    });
    return { keys, appId: paired.appId, deviceId: paired.deviceId, hubPublicKey: paired.hubPublicKey };
  }

  async openChannel(c: Credentials): Promise<void> {
    if (this.client.channelOpen) return;
    const hubKey = fromBase64Url(c.hubPublicKey) ?? new Uint8Array(32);
    this.expectReply();
    await this.client.openChannel({ ...c.keys, id: c.appId }, { publicKey: hubKey, id: c.deviceId });
  }

  /** A REST request inside the channel (socket REST): status and JSON body. */
  async request(method: string, path: string, body?: object): Promise<{ status: number; body: Record<string, unknown> }> {
    const id = `setup${++this.nextRest}`;
    const answer = new Promise<{ status: number; body: Record<string, unknown> }>((resolve) => this.pendingRest.set(id, resolve));
    await this.client.send({ type: "http", id, method, path, ...(body ? { body: JSON.stringify(body) } : {}) });
    return answer;
  }

  /** The hub client's transport over this connection, once the channel is open. */
  transport(): HubTransport {
    return {
      describe: `Bluetooth (${this.device.name ?? "BrewOS"})`,
      open: (events): HubSocket => {
        let live = true;
        this.client.onText((text) => {
          if (live) events.onMessage(text);
        });
        this.closeListeners.push((why) => {
          if (live) events.onClose(why);
          live = false;
        });
        queueMicrotask(() => {
          if (this.closed) return events.onClose("the machine's Bluetooth disconnected");
          events.onOpen();
          void this.client.send({ type: "resync" }); // the state from now (what came before went to setup)
        });
        return {
          send: (text) => void this.client.sendText(text).catch((e: Error) => this.gone(`Bluetooth: ${e.message}`)),
          close: () => {
            live = false;
          },
        };
      },
    };
  }

  close(): void {
    this.server.disconnect();
    this.gone("closed");
  }

  private gone(why: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.closeListeners.splice(0)) l(why);
  }

  /** The hub is about to answer: if no notification has arrived by then, read instead. */
  private expectReply(): void {
    if (this.notified || this.polling) return;
    setTimeout(() => {
      if (!this.notified) this.startPolling();
    }, NOTIFY_GRACE_MS);
  }

  private startPolling(): void {
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

  /** Web Bluetooth allows one GATT operation at a time. */
  private one<T>(f: () => Promise<T>): Promise<T> {
    const next = this.ops.then(f, f);
    this.ops = next.catch(() => {});
    return next;
  }
}
