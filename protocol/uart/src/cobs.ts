/**
 * @module Consistent Overhead Byte Stuffing: removes every 0x00 from a frame so 0x00 can delimit
 * frames on the wire. Overhead is one byte per 254 bytes of input.
 */

/** Encoded form of `input` (without the trailing 0x00 delimiter). */
export function cobsEncode(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input.length + Math.ceil(input.length / 254) + 1);
  let codeAt = 0;
  let o = 1;
  let code = 1;
  for (let i = 0; i < input.length; i++) {
    const b = input[i] ?? 0;
    if (b === 0) {
      out[codeAt] = code;
      codeAt = o++;
      code = 1;
      continue;
    }
    out[o++] = b;
    code++;
    if (code === 0xff) {
      out[codeAt] = code;
      codeAt = o++;
      code = 1;
    }
  }
  out[codeAt] = code;
  return out.subarray(0, o);
}

/** Decoded form of an encoded block (delimiter already removed), or null when it is malformed. */
export function cobsDecode(input: Uint8Array): Uint8Array | null {
  const out = new Uint8Array(input.length);
  let o = 0;
  let i = 0;
  while (i < input.length) {
    const code = input[i++] ?? 0;
    if (code === 0 || i + code - 1 > input.length) return null;
    for (let k = 1; k < code; k++) {
      const b = input[i++] ?? 0;
      if (b === 0) return null;
      out[o++] = b;
    }
    if (code !== 0xff && i < input.length) out[o++] = 0;
  }
  return out.subarray(0, o);
}
