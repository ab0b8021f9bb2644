/**
 * @module UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits, so ids sort by creation
 * time. Within one millisecond, or when the clock steps back a little, a 12-bit counter in rand_a
 * keeps ids from this process increasing. A time well in the past (an imported shot) gets its own
 * timestamp and random bits, and does not disturb the sequence.
 */

const CLOCK_STEP_BACK_MS = 10_000;

let lastMs = -1;
let counter = 0;

export function uuidv7(nowMs: number = Date.now()): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  let count: number;
  if (nowMs < lastMs - CLOCK_STEP_BACK_MS) {
    count = (((b[6] ?? 0) << 8) | (b[7] ?? 0)) & 0xfff;
  } else if (nowMs <= lastMs) {
    counter++;
    if (counter > 0xfff) {
      lastMs++; // borrow the next millisecond rather than repeat
      counter = 0;
    }
    nowMs = lastMs;
    count = counter;
  } else {
    lastMs = nowMs;
    counter = (b[6] ?? 0) & 0x03; // start low so many ids fit in one millisecond
    count = counter;
  }
  const ms = BigInt(nowMs);
  for (let i = 0; i < 6; i++) b[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  b[6] = 0x70 | ((count >> 8) & 0x0f);
  b[7] = count & 0xff;
  b[8] = 0x80 | ((b[8] ?? 0) & 0x3f);
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Milliseconds since the Unix epoch encoded in a UUIDv7. */
export function uuidv7Ms(id: string): number {
  return Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16);
}
