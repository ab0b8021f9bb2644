/** @module What the BrewOS GATT service's info characteristic says about this hub (docs/api/ble.md). */
import type { BrewosBleInfo } from "@brewos/protocol/ble/brewos-service";

export interface BleInfoSource {
  identity: { deviceId: string; publicKeyText: string };
  /** How many apps are paired (none: the machine is being set up). */
  pairedApps: () => number;
  pairingOpen: () => boolean;
  name: () => string;
  apiMajor: number;
  httpPort: () => number | null;
}

export function bleInfo(s: BleInfoSource): () => BrewosBleInfo {
  return () => ({
    v: 1,
    device_id: s.identity.deviceId,
    hub_public_key: s.identity.publicKeyText,
    name: s.name(),
    api: s.apiMajor,
    setup: s.pairedApps() === 0 ? "setup" : "ready",
    pairing_open: s.pairingOpen(),
    http_port: s.httpPort(),
  });
}
