/**
 * @module The BrewOS GATT service (docs/api/ble.md): its UUIDs and what its info characteristic
 * reads. The app writes chunked frames (./chunking.ts) to `write`, and hears the hub's on `notify`
 * (or by reading `notify` where it cannot subscribe: Chromium's Bluetooth emulation). A frame is
 * either a pairing message (JSON text, first byte `{`) or the end-to-end channel of
 * `relay/secure-channel` (first byte 1: hello; 3: sealed) — the same as through the relay.
 */
export const BREWOS_BLE = {
  service: "6e2f0001-8a4b-4f6c-b6d2-5b7c0ffee5e0",
  write: "6e2f0002-8a4b-4f6c-b6d2-5b7c0ffee5e0",
  notify: "6e2f0003-8a4b-4f6c-b6d2-5b7c0ffee5e0",
  info: "6e2f0004-8a4b-4f6c-b6d2-5b7c0ffee5e0",
} as const;

/** The info characteristic's value, UTF-8 JSON (read in pieces with `offset` when it is long). */
export interface BrewosBleInfo {
  v: 1;
  device_id: string;
  /** The hub's Ed25519 public key, base64url: the app checks it against device_id and the QR code. */
  hub_public_key: string;
  name: string;
  /** The hub API's protocol major (the /ws messages). */
  api: number;
  /** "setup": no app is paired yet; "ready": paired apps exist (pairing needs an open window either way). */
  setup: "setup" | "ready";
  pairing_open: boolean;
  /** The port of the hub's app and API on the LAN (once on Wi-Fi: http://ADDRESS:PORT). */
  http_port: number | null;
}

/** Chunks kept for a central to read (every chunk is also notified): a reading central that leaves
 * this many unread is dropped; for a subscribed one the oldest go. */
export const POLL_QUEUE_CHUNKS = 4096;
