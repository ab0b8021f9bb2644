/**
 * @module A scale held by a phone (Web Bluetooth), lent to the hub for brew-by-weight over the
 * phone's paired /ws: one source for the app that sends it and the hub that checks it.
 *
 * Phone → hub, about every 100 ms while it forwards: `phone_scale` with the scale (or null: the
 * phone lost it or stopped lending it) and the readings since the last message, each with its age
 * on the phone when sent (the hub dates it by its own clock: now − age). Hub → phone: `phone_scale_tare`
 * before a shot; the phone zeroes the scale (confirmed by a zero reading) and answers `phone_scale_tared`.
 * Types and constants only (the app loads no validator); the hub's checks are phone-scale-messages.ts.
 */
export const PHONE_SCALE_VERSION = 1;
/** A lent scale with no reading for this long is not used (the hub's own scales' rule too). */
export const PHONE_SCALE_STALE_MS = 1000;
/** How long the hub waits for the phone to answer a tare. */
export const PHONE_SCALE_TARE_TIMEOUT_MS = 5000;
/** How often the phone sends (ms): readings are batched in between. */
export const PHONE_SCALE_SEND_EVERY_MS = 100;

export interface PhoneScaleReading {
  grams: number;
  stable: boolean;
  /** Age on the phone when the message was sent (ms). */
  age_ms: number;
}

export interface PhoneScaleReport {
  type: "phone_scale";
  v: typeof PHONE_SCALE_VERSION;
  /** null: the phone lost its scale, or stopped lending it. */
  scale: {
    name: string | null;
    /** A family id from @brewos/protocol/scales (acaia, decent, …). */
    family: string;
    /** The family's measurement lag (ms), for the controller's stop. */
    lag_ms: number;
    battery_pct: number | null;
  } | null;
  readings: PhoneScaleReading[];
}

export interface PhoneScaleTared {
  type: "phone_scale_tared";
  v: typeof PHONE_SCALE_VERSION;
  id: number;
  ok: boolean;
  message?: string;
}

/** What a phone sends; checked by the hub with phone-scale-messages.ts. */
export type PhoneScaleFromApp = PhoneScaleReport | PhoneScaleTared;

export interface PhoneScaleTare {
  type: "phone_scale_tare";
  v: typeof PHONE_SCALE_VERSION;
  id: number;
}

/** What the hub says when it will not use a phone's scale (another phone's is in use). */
export interface PhoneScaleRefused {
  type: "phone_scale_refused";
  v: typeof PHONE_SCALE_VERSION;
  message: string;
}

export type PhoneScaleToApp = PhoneScaleTare | PhoneScaleRefused;
