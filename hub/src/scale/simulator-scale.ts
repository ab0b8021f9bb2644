/**
 * @module A spawned simulator together with its virtual scale: the simulator announces the port of
 * its load-cell stream when it starts (again after each restart), and the scale connector follows.
 * Used by the demo (`main.ts --sim`) and the tests, so both run brew-by-weight the same way.
 */
import type { TransportFactory } from "../controller-link/transport.ts";
import { type SpawnedSimOptions, spawnedSimTransport } from "../controller-link/transports/spawned-sim.ts";
import { tcpTransport } from "../controller-link/transports/tcp.ts";
import type { GattConnector } from "./gatt-link.ts";
import { virtualDecentScale } from "./virtual-decent-scale.ts";

export function simulatorWithScale(o: Omit<SpawnedSimOptions, "onScalePort">): { open: TransportFactory; scale: GattConnector } {
  let port: number | null = null;
  const open = spawnedSimTransport({
    ...o,
    onScalePort: (p) => {
      port = p;
    },
  });
  const scale = virtualDecentScale((events) => {
    if (port === null) return Promise.reject(new Error("the simulator has not announced its scale yet"));
    return tcpTransport("127.0.0.1", port)(events);
  });
  return { open, scale };
}
