/**
 * @module The seam between a scale driver and whatever carries its Bluetooth characteristics: a
 * BLE stack on the hub, the browser's Web Bluetooth, or the simulator's virtual scale. A link only
 * moves characteristic values; the scale's protocol lives in its driver above this seam.
 */

export interface GattEvents {
  /** A notification from `characteristic` (16-bit UUID). */
  onNotify(characteristic: number, value: Uint8Array): void;
  /** The peripheral went away; called at most once. `reason` is for people. */
  onClose(reason: string): void;
}

export interface GattLink {
  /** What this is ("virtual Decent Scale via tcp 127.0.0.1:40123"), for health and logs. */
  readonly describe: string;
  /** Write without response to `characteristic`. */
  write(characteristic: number, value: Uint8Array): void;
  /** Disconnect from our side; onClose is not called for this. */
  close(): Promise<void>;
}

/** Connects to one peripheral; rejects with a readable Error when it cannot. */
export type GattConnector = (events: GattEvents) => Promise<GattLink>;
