/**
 * @module What the hub says about the scale this phone lends it (a tare before a shot, a refusal),
 * handed from the live connection to the scale feature without the connection loading that feature.
 */
import type { PhoneScaleToApp } from "@brewos/protocol/api/phone-scale";

const listeners = new Set<(m: PhoneScaleToApp) => void>();

export function hearPhoneScale(listener: (m: PhoneScaleToApp) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function deliverPhoneScale(m: PhoneScaleToApp): void {
  for (const l of listeners) l(m);
}
