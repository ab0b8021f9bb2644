/**
 * @module The seam between the scale connection manager and what carries Bluetooth: BlueZ over
 * D-Bus on the hub, Web Bluetooth in the app, or a scripted fake in tests. A transport finds
 * peripherals and moves characteristic values; the scale's protocol lives above it (family codecs).
 * UUIDs are full lower-case strings.
 */

export interface FoundScale {
  /** Stable per peripheral on one transport (BlueZ object path, Web Bluetooth device id). */
  id: string;
  name: string | null;
  rssi?: number;
}

export interface ScaleLink {
  /** Services the peripheral has (picks a family's GATT variant). */
  readonly services: readonly string[];
  subscribe(service: string, characteristic: string, onValue: (value: Uint8Array) => void): Promise<void>;
  write(service: string, characteristic: string, value: Uint8Array, withoutResponse: boolean): Promise<void>;
  /** Called once when the peripheral goes away (not for our own close). */
  onClose(cb: (reason: string) => void): void;
  close(): Promise<void>;
}

export interface ScaleTransport {
  /** Report scales seen until the returned stop is called. */
  scan(onFound: (s: FoundScale) => void): Promise<() => Promise<void>>;
  connect(id: string): Promise<ScaleLink>;
}

/** Timers, injected so tests run on a clock they control. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};
