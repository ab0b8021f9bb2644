/**
 * @module The BrewOS GATT service for this hub: its identity, paired apps and pairing window, its
 * /ws handling and REST API, wired into GattServer and the info characteristic. One place for the
 * hub's start-up and the tests that run the service.
 */
import { PROTOCOL_VERSION_MAJOR } from "@brewos/protocol/uart";
import type { WsClients } from "../api/virtual-socket.ts";
import type { HubIdentity } from "../auth/identity.ts";
import { bleInfo } from "./ble-info.ts";
import { GattServer } from "./gatt-server.ts";

export interface HubGattParts {
  auth: {
    identity: HubIdentity;
    apps: { publicKey(appId: string): Uint8Array | null; readonly count: number };
    pairing: { readonly isOpen: boolean };
  };
  clients: WsClients;
  rest: (request: Request) => Response | Promise<Response>;
  name: () => string;
  httpPort: () => number | null;
  /** A D-Bus address (tests); the system bus when absent. */
  busAddress?: string;
  adapter?: string;
  log?: (level: "info" | "warn", text: string) => void;
}

export function startHubGatt(p: HubGattParts): Promise<GattServer> {
  const id = p.auth.identity;
  return GattServer.start({
    ...(p.busAddress ? { busAddress: p.busAddress } : {}),
    ...(p.adapter ? { adapter: p.adapter } : {}),
    ...(p.log ? { log: p.log } : {}),
    secure: {
      hub: { id: id.deviceId, publicKey: id.publicKey, sign: (b) => id.sign(b) },
      appKey: (appId) => p.auth.apps.publicKey(appId),
      clients: p.clients,
    },
    rest: p.rest,
    info: bleInfo({
      identity: id,
      pairedApps: () => p.auth.apps.count,
      pairingOpen: () => p.auth.pairing.isOpen,
      name: p.name,
      apiMajor: PROTOCOL_VERSION_MAJOR,
      httpPort: p.httpPort,
    }),
  });
}
