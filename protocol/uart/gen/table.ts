/**
 * @module Loads protocol/uart/messages.json and checks it is a consistent table before any code is
 * generated from it: ids unique and in their direction's range, types known, ranges representable,
 * worst-case payload within the protocol maximum.
 */

export type ScalarType = "u8" | "i8" | "u16" | "i16" | "u32" | "i32";
export type WireType = ScalarType | "bytes" | "str";

export interface FieldSpec {
  name: string;
  /** Type as written in the table, e.g. "u16", "enum:machine_type", "flags:capabilities", "str". */
  declared: string;
  wire: WireType;
  enumName?: string;
  flagsName?: string;
  min: number;
  max: number;
  /** For bytes/str: maximum length in bytes (the wire carries a u8 length prefix). */
  maxLen: number;
  doc?: string;
}

export interface MessageSpec {
  name: string;
  id: number;
  from: "controller" | "hub";
  doc: string;
  fields: FieldSpec[];
  minPayload: number;
  maxPayload: number;
  /** Layout frozen across major versions: decoded whatever the header version (hellos, updates). */
  versionFree: boolean;
}

export interface EnumSpec {
  name: string;
  doc: string;
  values: [string, number][];
}

export interface FlagsSpec {
  name: string;
  doc: string;
  width: 8 | 16 | 32;
  bits: [string, number][];
}

export interface ConfigKeySpec {
  name: string;
  id: number;
  unit: string;
  min: number;
  max: number;
  default: number;
}

export interface ProtocolTable {
  versionMajor: number;
  versionMinor: number;
  maxPayload: number;
  headerBytes: number;
  crcBytes: number;
  enums: EnumSpec[];
  flags: FlagsSpec[];
  configKeys: ConfigKeySpec[];
  messages: MessageSpec[];
  reservedIds: number[];
}

const SCALAR_RANGE: Record<ScalarType, [number, number, number]> = {
  u8: [0, 0xff, 1],
  i8: [-0x80, 0x7f, 1],
  u16: [0, 0xffff, 2],
  i16: [-0x8000, 0x7fff, 2],
  u32: [0, 0xffffffff, 4],
  i32: [-0x80000000, 0x7fffffff, 4],
};

const NAME_RE = /^[a-z][a-z0-9_]*$/;

function fail(where: string, why: string): never {
  throw new Error(`messages.json: ${where}: ${why}`);
}

/** Size in bytes a scalar wire type takes. */
export function scalarSize(t: ScalarType): number {
  return SCALAR_RANGE[t][2];
}

function flagsWire(width: number): ScalarType {
  return width === 8 ? "u8" : width === 16 ? "u16" : "u32";
}

function parseField(
  raw: Record<string, unknown>,
  msg: string,
  table: { enums: Map<string, EnumSpec>; flags: Map<string, FlagsSpec> },
): FieldSpec {
  const name = String(raw.name ?? "");
  const where = `message ${msg} field ${name || "?"}`;
  if (!NAME_RE.test(name)) fail(where, "field names are snake_case");
  const declared = String(raw.type ?? "");
  const doc = raw.doc === undefined ? undefined : String(raw.doc);
  if (declared === "bytes" || declared === "str") {
    const maxLen = Number(raw.max_len);
    if (!Number.isInteger(maxLen) || maxLen < 1 || maxLen > 255) fail(where, "max_len must be 1..255");
    return { name, declared, wire: declared, min: 0, max: maxLen, maxLen, doc };
  }
  let wire: ScalarType;
  let enumName: string | undefined;
  let flagsName: string | undefined;
  let [min, max] = [0, 0];
  if (declared.startsWith("enum:")) {
    enumName = declared.slice(5);
    const e = table.enums.get(enumName) ?? fail(where, `unknown enum ${enumName}`);
    wire = "u8";
    const values = e.values.map(([, v]) => v);
    [min, max] = [Math.min(...values), Math.max(...values)];
  } else if (declared.startsWith("flags:")) {
    flagsName = declared.slice(6);
    const f = table.flags.get(flagsName) ?? fail(where, `unknown flags ${flagsName}`);
    wire = flagsWire(f.width);
    [min, max] = [SCALAR_RANGE[wire][0], SCALAR_RANGE[wire][1]];
  } else if (declared in SCALAR_RANGE) {
    wire = declared as ScalarType;
    [min, max] = [SCALAR_RANGE[wire][0], SCALAR_RANGE[wire][1]];
  } else {
    fail(where, `unknown type ${declared}`);
  }
  if (raw.min !== undefined) min = Number(raw.min);
  if (raw.max !== undefined) max = Number(raw.max);
  const [lo, hi] = SCALAR_RANGE[wire];
  if (!Number.isInteger(min) || !Number.isInteger(max) || min > max || min < lo || max > hi) {
    fail(where, `range ${min}..${max} does not fit ${wire}`);
  }
  return { name, declared, wire, enumName, flagsName, min, max, maxLen: 0, doc };
}

type Raw = Record<string, unknown>;
/** The JSON table as read from disk, before validation. */
export interface RawTable {
  protocol: { version_major: number; version_minor: number; max_payload_bytes: number; header_bytes: number; crc_bytes: number };
  enums: Record<string, { doc?: string; values: Record<string, number> }>;
  flags: Record<string, { doc?: string; width: number; bits: Record<string, number> }>;
  config_keys: Record<string, Raw>;
  messages: Record<string, Raw>;
  reserved: { ids: number[] };
}

/** Parse and validate the raw JSON table. Throws with the offending entry named. */
export function loadTable(raw: RawTable): ProtocolTable {
  const p = raw.protocol;
  const enums = new Map<string, EnumSpec>();
  for (const [name, e] of Object.entries(raw.enums)) {
    if (!NAME_RE.test(name)) fail(`enum ${name}`, "snake_case names only");
    const values = Object.entries(e.values);
    const seen = new Set<number>();
    for (const [k, v] of values) {
      if (!NAME_RE.test(k)) fail(`enum ${name}.${k}`, "snake_case names only");
      if (!Number.isInteger(v) || v < 0 || v > 255) fail(`enum ${name}.${k}`, "values are 0..255 (u8 on the wire)");
      if (seen.has(v)) fail(`enum ${name}.${k}`, `duplicate value ${v}`);
      seen.add(v);
    }
    enums.set(name, { name, doc: String(e.doc ?? ""), values });
  }
  const flags = new Map<string, FlagsSpec>();
  for (const [name, f] of Object.entries(raw.flags)) {
    const width = Number(f.width);
    if (width !== 8 && width !== 16 && width !== 32) fail(`flags ${name}`, "width is 8, 16 or 32");
    const bits = Object.entries(f.bits);
    const seen = new Set<number>();
    for (const [k, b] of bits) {
      if (!Number.isInteger(b) || b < 0 || b >= width) fail(`flags ${name}.${k}`, `bit must be 0..${width - 1}`);
      if (seen.has(b)) fail(`flags ${name}.${k}`, `duplicate bit ${b}`);
      seen.add(b);
    }
    flags.set(name, { name, doc: String(f.doc ?? ""), width: width as 8 | 16 | 32, bits });
  }
  const configKeys: ConfigKeySpec[] = [];
  const configIds = new Set<number>();
  for (const [name, c] of Object.entries(raw.config_keys)) {
    if (name.startsWith("$")) continue;
    const spec = { name, id: Number(c.id), unit: String(c.unit), min: Number(c.min), max: Number(c.max), default: Number(c.default) };
    if (!Number.isInteger(spec.id) || spec.id < 1 || spec.id > 0xfffe) fail(`config ${name}`, "id is 1..65534");
    if (configIds.has(spec.id)) fail(`config ${name}`, `duplicate id ${spec.id}`);
    configIds.add(spec.id);
    if (!(spec.min <= spec.default && spec.default <= spec.max)) fail(`config ${name}`, "default outside min..max");
    if (spec.min < -0x80000000 || spec.max > 0x7fffffff) fail(`config ${name}`, "range must fit i32");
    configKeys.push(spec);
  }
  const reservedIds: number[] = raw.reserved.ids;
  const messages: MessageSpec[] = [];
  const ids = new Set<number>();
  for (const [name, m] of Object.entries(raw.messages)) {
    if (name.startsWith("$")) continue;
    if (!NAME_RE.test(name)) fail(`message ${name}`, "snake_case names only");
    const id = Number(m.id);
    const from = m.from as MessageSpec["from"];
    if (from !== "controller" && from !== "hub") fail(`message ${name}`, "from is controller or hub");
    const [lo, hi] = from === "controller" ? [0x01, 0x3f] : [0x40, 0x7f];
    if (!Number.isInteger(id) || id < lo || id > hi) fail(`message ${name}`, `id ${id} outside ${from} range ${lo}..${hi}`);
    if (ids.has(id)) fail(`message ${name}`, `duplicate id ${id}`);
    if (reservedIds.includes(id)) fail(`message ${name}`, `id ${id} is reserved`);
    ids.add(id);
    const fields = (m.fields as Record<string, unknown>[]).map((f) => parseField(f, name, { enums, flags }));
    const names = new Set<string>();
    for (const f of fields) {
      if (names.has(f.name) || f.name === "type" || f.name === "seq") fail(`message ${name}`, `field name ${f.name} clashes`);
      names.add(f.name);
    }
    let minPayload = 0;
    let maxPayload = 0;
    for (const f of fields) {
      const fixed = f.wire === "bytes" || f.wire === "str" ? 1 : scalarSize(f.wire);
      minPayload += fixed;
      maxPayload += fixed + f.maxLen;
    }
    if (maxPayload > p.max_payload_bytes)
      fail(`message ${name}`, `worst case ${maxPayload} B exceeds max payload ${p.max_payload_bytes} B`);
    messages.push({ name, id, from, doc: String(m.doc ?? ""), fields, minPayload, maxPayload, versionFree: m.version_free === true });
  }
  messages.sort((a, b) => a.id - b.id);
  return {
    versionMajor: p.version_major,
    versionMinor: p.version_minor,
    maxPayload: p.max_payload_bytes,
    headerBytes: p.header_bytes,
    crcBytes: p.crc_bytes,
    enums: [...enums.values()],
    flags: [...flags.values()],
    configKeys,
    messages,
    reservedIds,
  };
}
