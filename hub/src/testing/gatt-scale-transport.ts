/**
 * @module For tests: one scale behind a GattConnector (the simulator's virtual Decent Scale) as a
 * ScaleTransport, so the shared connection manager can hold it the way a phone holds a real scale
 * over Web Bluetooth. Characteristics are 16-bit UUIDs on the connector's side.
 */
import { type FoundScale, type ScaleLink, type ScaleTransport, uuid16 } from "@brewos/protocol/scales";
import type { GattConnector } from "../scale/gatt-link.ts";

/** The 16-bit UUID inside a full Bluetooth base UUID. */
const short = (uuid: string): number => Number.parseInt(uuid.slice(4, 8), 16);

export function gattScaleTransport(radio: GattConnector, found: FoundScale, service16: number): ScaleTransport {
  return {
    async scan(onFound) {
      queueMicrotask(() => onFound(found));
      return async () => {};
    },
    async connect(id) {
      if (id !== found.id) throw new Error(`no scale ${id} here`);
      const subscribed = new Map<number, (v: Uint8Array) => void>();
      let closed: ((reason: string) => void) | null = null;
      const link = await radio({ onNotify: (c, v) => subscribed.get(c)?.(v), onClose: (reason) => closed?.(reason) });
      const scaleLink: ScaleLink = {
        services: [uuid16(service16)],
        subscribe: async (_service, c, onValue) => {
          subscribed.set(short(c), onValue);
        },
        write: async (_service, c, value) => link.write(short(c), value),
        onClose: (cb) => {
          closed = cb;
        },
        close: () => link.close(),
      };
      return scaleLink;
    },
  };
}
