/**
 * @module CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR).
 * Check value over ASCII "123456789" is 0x29B1.
 */

const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let b = 0; b < 8; b++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

/** CRC of `bytes`, continuing from `crc` (start with the default 0xFFFF). */
export function crc16CcittFalse(bytes: Uint8Array, crc = 0xffff): number {
  let c = crc;
  for (let i = 0; i < bytes.length; i++) c = ((c << 8) & 0xffff) ^ (TABLE[((c >> 8) ^ (bytes[i] ?? 0)) & 0xff] ?? 0);
  return c;
}
