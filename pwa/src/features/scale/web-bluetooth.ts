/**
 * @module A scale connected to this phone: the scale transport on Web Bluetooth (Chrome on Android
 * and desktop; iPhones have none). The browser's chooser stands in for a scan (filtered by every
 * family's name prefixes, every family's services listed as optional — Web Bluetooth refuses
 * services it was not told of); one GATT operation at a time, as the API requires; notifications by
 * startNotifications (CCCD writes are blocklisted). A device chosen once reconnects without asking.
 */
import { type FoundScale, SCALE_FAMILIES, type ScaleLink, type ScaleTransport } from "@brewos/protocol/scales";

/** The slice of Web Bluetooth used here (lib.dom has no types for it). */
interface BtCharacteristic extends EventTarget {
  readonly value?: DataView;
  startNotifications(): Promise<BtCharacteristic>;
  writeValueWithResponse(v: BufferSource): Promise<void>;
  writeValueWithoutResponse(v: BufferSource): Promise<void>;
}
interface BtService {
  readonly uuid: string;
  getCharacteristic(uuid: string): Promise<BtCharacteristic>;
}
interface BtServer {
  readonly connected: boolean;
  connect(): Promise<BtServer>;
  disconnect(): void;
  getPrimaryServices(): Promise<BtService[]>;
}
export interface BtDevice extends EventTarget {
  readonly id: string;
  readonly name?: string;
  readonly gatt?: BtServer;
}
export interface BtApi {
  requestDevice(o: { filters: { namePrefix: string }[]; optionalServices: string[] }): Promise<BtDevice>;
}

export const webBluetooth = (): BtApi | null => (navigator as unknown as { bluetooth?: BtApi }).bluetooth ?? null;

/** Name prefixes the chooser offers: each family's names, as advertised. */
export const CHOOSER_PREFIXES = [
  "ACAIA",
  "LUNAR",
  "PYXIS",
  "PROCH",
  "PEARL",
  "CINCO",
  "UMBRA",
  "BOOKOO",
  "Decent Scale",
  "EspressiScale",
  "Microbalance",
  "MB Ti",
  "ECLAIR-",
  "CFS-9002",
  "LSJ-001",
  "FELICITA",
  "HIROIA",
  "Skale",
  "TIMEMORE_Dot",
  "Timemore Scale",
  "AKU",
  "VARIA AKU",
];

export const OPTIONAL_SERVICES = [...new Set(SCALE_FAMILIES.flatMap((f) => f.gatt.map((g) => g.service)))];

/** Web Bluetooth cannot scan in the background: the owner picks a scale in the browser's chooser
 * (`choose`, from a tap), and "scanning" afterwards reports the scales picked so far, which
 * reconnect without asking. */
export function webBluetoothTransport(bt: BtApi): ScaleTransport & { choose(): Promise<FoundScale> } {
  const devices = new Map<string, BtDevice>();
  return {
    async choose() {
      const d = await bt.requestDevice({
        filters: CHOOSER_PREFIXES.map((namePrefix) => ({ namePrefix })),
        optionalServices: OPTIONAL_SERVICES,
      });
      devices.set(d.id, d);
      return { id: d.id, name: d.name ?? null };
    },
    async scan(onFound) {
      queueMicrotask(() => {
        for (const d of devices.values()) onFound({ id: d.id, name: d.name ?? null });
      });
      return async () => {};
    },
    async connect(id) {
      const d = devices.get(id);
      if (!d?.gatt) throw new Error("choose the scale again: this browser forgot it");
      const server = await d.gatt.connect();
      const services = await server.getPrimaryServices();
      let ops: Promise<unknown> = Promise.resolve();
      /** Web Bluetooth allows one GATT operation at a time. */
      const one = <T>(f: () => Promise<T>): Promise<T> => {
        const next = ops.then(f, f);
        ops = next.catch(() => {});
        return next;
      };
      const char = async (service: string, c: string) => {
        const s = services.find((x) => x.uuid === service);
        if (!s) throw new Error(`no service ${service}`);
        return s.getCharacteristic(c);
      };
      const handlers = new Map<string, (e: Event) => void>();
      let closeCb: ((reason: string) => void) | null = null;
      let open = true;
      const gone = () => {
        if (!open) return;
        open = false;
        closeCb?.("the scale disconnected");
      };
      d.addEventListener("gattserverdisconnected", gone);
      const link: ScaleLink = {
        services: services.map((s) => s.uuid),
        subscribe: (service, c, onValue) =>
          one(async () => {
            const ch = await char(service, c);
            const old = handlers.get(c);
            if (old) ch.removeEventListener("characteristicvaluechanged", old);
            const h = () => {
              const v = ch.value;
              if (v) onValue(new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)));
            };
            handlers.set(c, h);
            ch.addEventListener("characteristicvaluechanged", h);
            await ch.startNotifications();
          }),
        write: (service, c, value, withoutResponse) =>
          one(async () => {
            const ch = await char(service, c);
            const copy = Uint8Array.from(value);
            await (withoutResponse ? ch.writeValueWithoutResponse(copy) : ch.writeValueWithResponse(copy));
          }),
        onClose: (cb) => {
          closeCb = cb;
        },
        close: async () => {
          open = false;
          d.removeEventListener("gattserverdisconnected", gone);
          server.disconnect();
        },
      };
      return link;
    },
  };
}
