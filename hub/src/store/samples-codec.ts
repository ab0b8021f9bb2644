/**
 * @module Shot samples as one compact blob: a 4-byte header (format version, column count,
 * sample count u16) then each column as little-endian i32 deltas from the previous sample,
 * zig-zag varint coded. Telemetry changes slowly, so a 20 Hz shot packs into a few bytes per
 * sample. Columns are fixed per format version; a reader refuses a version it does not know.
 */

export const SAMPLE_COLUMNS = [
  "t_ms",
  "brew_cdeg",
  "group_cdeg",
  "pressure_mbar",
  "flow_ul_s",
  "volume_ul",
  "pump_pmil",
  "weight_dg",
  "phase",
] as const;
export type SampleColumn = (typeof SAMPLE_COLUMNS)[number];
export type Sample = Record<SampleColumn, number>;

const FORMAT = 1;
const MAX_SAMPLES = 0xffff;

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}
function unzigzag(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

export function encodeSamples(samples: readonly Sample[]): Uint8Array {
  if (samples.length > MAX_SAMPLES) throw new RangeError(`at most ${MAX_SAMPLES} samples in one blob`);
  const out: number[] = [FORMAT, SAMPLE_COLUMNS.length, samples.length & 0xff, samples.length >> 8];
  for (const col of SAMPLE_COLUMNS) {
    let prev = 0;
    for (const s of samples) {
      const v = s[col];
      if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new RangeError(`${col}: ${v} is not an i32`);
      let z = zigzag(v - prev);
      prev = v;
      while (z >= 0x80) {
        out.push((z % 0x80) | 0x80);
        z = Math.floor(z / 0x80);
      }
      out.push(z);
    }
  }
  return Uint8Array.from(out);
}

export function decodeSamples(blob: Uint8Array): Sample[] {
  if (blob.length < 4) throw new Error("sample blob: shorter than its header");
  if (blob[0] !== FORMAT) throw new Error(`sample blob: format ${blob[0]} is not known (this hub reads ${FORMAT})`);
  if (blob[1] !== SAMPLE_COLUMNS.length) throw new Error(`sample blob: ${blob[1]} columns, expected ${SAMPLE_COLUMNS.length}`);
  const n = (blob[2] ?? 0) | ((blob[3] ?? 0) << 8);
  const out: Sample[] = Array.from({ length: n }, () => ({}) as Sample);
  let i = 4;
  for (const col of SAMPLE_COLUMNS) {
    let prev = 0;
    for (let k = 0; k < n; k++) {
      let z = 0;
      let scale = 1;
      for (;;) {
        const b = blob[i++];
        if (b === undefined) throw new Error(`sample blob: truncated in column ${col} at sample ${k}`);
        z += (b & 0x7f) * scale;
        if (b < 0x80) break;
        scale *= 0x80;
        if (scale > 2 ** 35) throw new Error(`sample blob: varint too long in column ${col}`);
      }
      prev += unzigzag(z);
      (out[k] as Sample)[col] = prev;
    }
  }
  if (i !== blob.length) throw new Error(`sample blob: ${blob.length - i} bytes after the last column`);
  return out;
}
