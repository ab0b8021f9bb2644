/**
 * @module One-shot authoring tool for the golden vectors. Vectors are frozen once committed: this
 * script refuses to overwrite an existing file unless --force is given, because regenerating a
 * golden file from the implementation under test would hide a regression.
 *
 * Usage: bun protocol/uart/vectors/author.ts [--force]
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cobsEncode } from "../src/cobs.ts";
import { crc16CcittFalse } from "../src/crc16.ts";
import { encodeFrame, encodeRawFrame } from "../src/frame.ts";
import type { UartMessage } from "../src/generated/messages.ts";
import { UartStreamDecoder } from "../src/stream-decoder.ts";
import { toJsonMessage } from "./vector-json.ts";

const dir = new URL(".", import.meta.url).pathname;
const force = process.argv.includes("--force");

type Case = { name: string; hex: string; encode?: boolean; expect: unknown[] };

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const bytes = (...n: number[]) => Uint8Array.from(n);

/** Expected results are what the spec'd algorithm yields; both implementations must agree. */
function expectOf(stream: Uint8Array): unknown[] {
  return new UartStreamDecoder().push(stream).map((r) => (r.ok ? { message: toJsonMessage(r.message) } : { error: r.error }));
}

function good(name: string, msg: UartMessage): Case {
  const wire = encodeFrame(msg);
  return { name, hex: hex(wire), encode: true, expect: expectOf(wire) };
}

function stream(name: string, wire: Uint8Array): Case {
  return { name, hex: hex(wire), expect: expectOf(wire) };
}

/** A frame built from raw header+payload bytes with a correct CRC, for malformed-payload cases. */
function rawWithCrc(raw: number[]): Uint8Array {
  const body = Uint8Array.from(raw);
  const crc = crc16CcittFalse(body);
  return cat(cobsEncode(cat(body, bytes(crc & 0xff, crc >> 8))), bytes(0));
}

const telemetryIdle: UartMessage = {
  type: "telemetry",
  seq: 10,
  uptime_ms: 123456,
  state: 3,
  phase_index: 255,
  brew_temp_cdeg: 9312,
  steam_temp_cdeg: 13987,
  group_temp_cdeg: 9050,
  brew_setpoint_cdeg: 9300,
  steam_setpoint_cdeg: 14000,
  pressure_mbar: 0,
  pump_flow_ul_s: 0,
  pumped_volume_ul: 0,
  brew_duty_pmil: 142,
  steam_duty_pmil: 87,
  pump_power_pmil: 0,
  shot_time_ms: 0,
  flags: 0x0102,
  sensor_flags: 0,
  active_alarm: 0,
};
const ack: UartMessage = { type: "ack", seq: 7, acked_type: 66, acked_seq: 300, result: 0, detail: 0 };

const messages: Case[] = [
  good("controller_hello at power-on", {
    type: "controller_hello",
    seq: 0,
    proto_major: 1,
    proto_minor: 0,
    fw_major: 0,
    fw_minor: 3,
    fw_patch: 1,
    machine_type: 1,
    capabilities: 0x0fff,
    reset_reason: 0,
    uptime_ms: 12,
  }),
  good("controller_hello after a watchdog reset", {
    type: "controller_hello",
    seq: 1,
    proto_major: 1,
    proto_minor: 0,
    fw_major: 1,
    fw_minor: 0,
    fw_patch: 0,
    machine_type: 3,
    capabilities: 0x0811,
    reset_reason: 1,
    uptime_ms: 4000,
  }),
  good("hub_hello", {
    type: "hub_hello",
    seq: 0,
    proto_major: 1,
    proto_minor: 0,
    hub_major: 0,
    hub_minor: 1,
    hub_patch: 0,
    capabilities: 0x7,
    uptime_ms: 987654321,
  }),
  good("telemetry ready and idle", telemetryIdle),
  good("telemetry mid-shot", {
    ...telemetryIdle,
    seq: 11,
    state: 4,
    phase_index: 1,
    pressure_mbar: 8950,
    pump_flow_ul_s: 2150,
    pumped_volume_ul: 31500,
    brew_duty_pmil: 610,
    pump_power_pmil: 1000,
    shot_time_ms: 14250,
    flags: 0x031b,
  }),
  good("telemetry with a shorted sensor reading far below zero", {
    ...telemetryIdle,
    seq: 12,
    state: 8,
    brew_temp_cdeg: -4000,
    brew_duty_pmil: 0,
    steam_duty_pmil: 0,
    flags: 0x00c0,
    sensor_flags: 0x01,
    active_alarm: 4,
  }),
  good("telemetry with every field at its maximum", {
    type: "telemetry",
    seq: 0xffff,
    uptime_ms: 0xffffffff,
    state: 8,
    phase_index: 255,
    brew_temp_cdeg: 25000,
    steam_temp_cdeg: 25000,
    group_temp_cdeg: 25000,
    brew_setpoint_cdeg: 20000,
    steam_setpoint_cdeg: 20000,
    pressure_mbar: 30000,
    pump_flow_ul_s: 0xffff,
    pumped_volume_ul: 0xffffffff,
    brew_duty_pmil: 1000,
    steam_duty_pmil: 1000,
    pump_power_pmil: 1000,
    shot_time_ms: 0xffffffff,
    flags: 0xffff,
    sensor_flags: 0xff,
    active_alarm: 25,
  }),
  good("shot_started by command", { type: "shot_started", seq: 20, shot_token: 0xdeadbeef, source: 0, profile_slot: 0, uptime_ms: 5000 }),
  good("shot_started by the lever", { type: "shot_started", seq: 21, shot_token: 1, source: 1, profile_slot: 3, uptime_ms: 5001 }),
  good("phase_changed on time", { type: "phase_changed", seq: 22, shot_token: 1, phase_index: 1, reason: 1, shot_time_ms: 8000 }),
  good("shot_ended on weight", {
    type: "shot_ended",
    seq: 23,
    shot_token: 1,
    stop_reason: 5,
    flags: 0x04,
    duration_ms: 28400,
    pumped_volume_ul: 45200,
    last_weight_dg: 362,
    max_pressure_mbar: 9120,
    mean_brew_temp_cdeg: 9290,
  }),
  good("shot_ended on time after the scale was lost", {
    type: "shot_ended",
    seq: 24,
    shot_token: 2,
    stop_reason: 3,
    flags: 0x01,
    duration_ms: 45000,
    pumped_volume_ul: 61000,
    last_weight_dg: -5,
    max_pressure_mbar: 9400,
    mean_brew_temp_cdeg: 9301,
  }),
  good("alarm raised: brew over-temperature", { type: "alarm", seq: 25, code: 1, severity: 3, action: 1, value: 13050, uptime_ms: 77000 }),
  good("alarm cleared", { type: "alarm", seq: 26, code: 12, severity: 2, action: 0, value: 0, uptime_ms: 78000 }),
  good("ack ok", ack),
  good("ack rejected_state with alarm detail", { type: "ack", seq: 8, acked_type: 72, acked_seq: 301, result: 2, detail: 1 }),
  good("config_report", { type: "config_report", seq: 30, key: 2, value: 60000 }),
  good("config_report with a negative value", { type: "config_report", seq: 31, key: 21, value: -150 }),
  good("log line", { type: "log", seq: 40, level: 2, uptime_ms: 1000, text: "trip: brew over-temp 130.5 C; heaters off" }),
  good("log with empty text", { type: "log", seq: 41, level: 0, uptime_ms: 1001, text: "" }),
  good("log with UTF-8 text", { type: "log", seq: 42, level: 1, uptime_ms: 1002, text: "setpoint 93.0 °C" }),
  good("desired_state brew", {
    type: "desired_state",
    seq: 100,
    mode: 1,
    flags: 0,
    brew_setpoint_cdeg: 9300,
    steam_setpoint_cdeg: 14000,
    heating_strategy: 1,
  }),
  good("desired_state standby with eco", {
    type: "desired_state",
    seq: 101,
    mode: 0,
    flags: 1,
    brew_setpoint_cdeg: 2000,
    steam_setpoint_cdeg: 16000,
    heating_strategy: 3,
  }),
  good("shot_start basic shot", {
    type: "shot_start",
    seq: 300,
    shot_token: 42,
    profile_slot: 0,
    flags: 0,
    dose_dg: 180,
    target_weight_dg: 0,
    stop_time_ms: 30000,
    stop_volume_ul: 0,
  }),
  good("shot_start by weight requiring a scale", {
    type: "shot_start",
    seq: 301,
    shot_token: 43,
    profile_slot: 2,
    flags: 1,
    dose_dg: 180,
    target_weight_dg: 360,
    stop_time_ms: 60000,
    stop_volume_ul: 80000,
  }),
  good("shot_stop whichever is running", { type: "shot_stop", seq: 302, shot_token: 0 }),
  good("weight_sample stable", { type: "weight_sample", seq: 400, weight_dg: 361, age_ms: 35, scale_lag_ms: 250, flags: 3 }),
  good("weight_sample negative after tare drift", { type: "weight_sample", seq: 401, weight_dg: -3, age_ms: 0, scale_lag_ms: 0, flags: 2 }),
  good("config_set", { type: "config_set", seq: 500, key: 14, value: 3000 }),
  good("config_get all", { type: "config_get", seq: 501, key: 0 }),
  good("profile_chunk small", {
    type: "profile_chunk",
    seq: 600,
    slot: 1,
    chunk_index: 0,
    chunk_count: 2,
    total_len: 10,
    total_crc16: 0x1234,
    data: bytes(1, 0, 2, 0, 3),
  }),
  good("profile_chunk at the maximum payload (240 B)", {
    type: "profile_chunk",
    seq: 601,
    slot: 8,
    chunk_index: 1,
    chunk_count: 2,
    total_len: 4096,
    total_crc16: 0xffff,
    data: Uint8Array.from({ length: 232 }, (_, i) => (i * 7 + 1) & 0xff),
  }),
  good("fault_clear every cleared cause", { type: "fault_clear", seq: 700, code: 0 }),
  good("autotune_start on the brew boiler", { type: "autotune_start", seq: 800, boiler: 0, setpoint_cdeg: 9300, amplitude_pmil: 600 }),
  good("sequence number with zero bytes (COBS must stuff them)", { ...ack, seq: 0x0100 }),
];

const frame = (m: UartMessage) => encodeFrame(m);
const tel = (seq: number) => frame({ ...telemetryIdle, seq });

const framing: Case[] = [
  stream("sequence wraps from 65535 to 0", cat(tel(0xffff), tel(0))),
  stream("idle delimiters around a frame are ignored", cat(bytes(0, 0), tel(5), bytes(0, 0))),
  stream(
    "hello from a future major version still decodes (frozen layout)",
    cat(
      cobsEncode(
        encodeRawFrame(
          {
            type: "controller_hello",
            seq: 3,
            proto_major: 2,
            proto_minor: 1,
            fw_major: 2,
            fw_minor: 0,
            fw_patch: 0,
            machine_type: 1,
            capabilities: 0,
            reset_reason: 0,
            uptime_ms: 9,
          },
          2,
        ),
      ),
      bytes(0),
    ),
  ),
  stream("trailing bytes from a newer minor version are ignored", rawWithCrc([1, 7, 9, 0, 66, 44, 1, 0, 0, 0, 0xaa, 0xbb])),
  stream("two frames back to back", cat(frame(ack), tel(6))),
];

const good1 = frame(ack);
const corruptCrc = (() => {
  const raw = encodeRawFrame(ack);
  raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 0x40;
  return cat(cobsEncode(raw), bytes(0));
})();
const wire = tel(9);
const errors: Case[] = [
  stream("wrong CRC, then the decoder recovers", cat(corruptCrc, good1)),
  stream(
    "payload bit flipped, then recovery",
    (() => {
      const w = frame(ack).slice();
      w[5] = (w[5] ?? 0) ^ 0x01 || 0x02;
      return cat(w, good1);
    })(),
  ),
  stream("truncated frame shorter than header and CRC", cat(cobsEncode(bytes(1, 7, 0)), bytes(0), good1)),
  stream("empty COBS block is truncated", cat(bytes(1, 0), good1)),
  stream(
    "oversize: 300 bytes without a delimiter, then recovery",
    cat(
      Uint8Array.from({ length: 300 }, (_, i) => (i % 250) + 1),
      bytes(0),
      good1,
    ),
  ),
  stream("stray bytes glued to the front of a frame", cat(bytes(0x55, 0x13, 0x37), good1, good1)),
  stream("stray bytes, a delimiter, then a frame", cat(bytes(0x55, 0x13, 0x37, 0), good1)),
  stream("zero inside a COBS block cuts the frame; the rest is dropped too", cat(wire.subarray(0, 9), bytes(0), wire.subarray(9), good1)),
  stream("unknown message type with a valid CRC", cat(rawWithCrc([1, 0x3e, 1, 0, 1, 2, 3]), good1)),
  stream("reserved id 0 is unknown", cat(rawWithCrc([1, 0, 1, 0]), good1)),
  // Until 1.3 this case used an ack; acks are version-free since then (update commands are answered across majors).
  stream(
    "future major version of a non-hello message",
    cat(cobsEncode(encodeRawFrame({ type: "config_report", seq: 7, key: 1, value: 2 }, 2)), bytes(0), good1),
  ),
  stream("payload shorter than the message needs", cat(rawWithCrc([1, 2, 5, 0, 1, 2, 3, 4, 3, 0]), good1)),
  stream("enum value out of range (state 200)", cat(rawWithCrc([1, 2, 5, 0, 0, 0, 0, 0, 200, ...new Array(36).fill(0)]), good1)),
  stream("scalar below its range (brew setpoint 0)", cat(rawWithCrc([1, 65, 1, 0, 1, 0, 0, 0, 0x70, 0x17, 1]), good1)),
  stream("string containing NUL", cat(rawWithCrc([1, 9, 1, 0, 1, 0, 0, 0, 0, 3, 0x41, 0, 0x42]), good1)),
  stream("bytes length runs past the payload", cat(rawWithCrc([1, 71, 1, 0, 1, 0, 1, 5, 0, 0, 0, 9, 1, 2]), good1)),
  stream(
    "profile chunk above max_len makes the frame oversize",
    cat(rawWithCrc([1, 71, 1, 0, 1, 0, 1, 5, 0, 0, 0, 233, ...new Array(233).fill(1)]), good1),
  ),
  stream("string longer than max_len", cat(rawWithCrc([1, 9, 1, 0, 1, 0, 0, 0, 0, 201, ...new Array(201).fill(0x41)]), good1)),
  stream("stray 0x01 glued to a frame decodes as COBS but fails the CRC", cat(bytes(0x01), good1, good1)),
  stream("acked_seq field truncated", cat(rawWithCrc([1, 7, 1, 0, 66, 44]), good1)),
  stream("only delimiters", bytes(0, 0, 0)),
];

const sha = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
const offer: UartMessage = { type: "update_offer", seq: 300, version: 0x000200, size: 65600, sha256: sha };
const statusOf = (seq: number): UartMessage => ({
  type: "update_status",
  seq,
  state: 1,
  result: 12,
  running_version: 0x000100,
  boot: 0,
  other_version: 0,
  offer_version: 0x000200,
  size: 65600,
  next_offset: 2240,
});
const update: Case[] = [
  good("update_offer", offer),
  good("update_chunk of the largest size (224 B)", {
    type: "update_chunk",
    seq: 301,
    offset: 2240,
    data: Uint8Array.from({ length: 224 }, (_, i) => (i * 7) & 0xff),
  }),
  good("update_chunk, the last short piece", { type: "update_chunk", seq: 302, offset: 65536, data: bytes(1, 0, 255) }),
  good("update_finish", { type: "update_finish", seq: 303, version: 0x000200 }),
  good("update_abort", { type: "update_abort", seq: 304, version: 0 }),
  good("update_status while receiving", statusOf(17)),
  good("update_status after a rollback", {
    ...statusOf(18),
    state: 0,
    result: 10,
    boot: 2,
    other_version: 0x000200,
    offer_version: 0,
    size: 0,
    next_offset: 0,
  } as UartMessage),
  stream("update_offer from a hub of another major is still read (version-free)", cat(cobsEncode(encodeRawFrame(offer, 2)), bytes(0))),
  stream(
    "update_status from a controller of major 0 is still read (version-free)",
    cat(cobsEncode(encodeRawFrame(statusOf(19), 0)), bytes(0)),
  ),
  stream("an ack from a controller of major 2 is read (version-free since 1.3)", cat(cobsEncode(encodeRawFrame(ack, 2)), bytes(0))),
  stream(
    "update_chunk data above max_len (225 B) is out of range, then recovery",
    cat(rawWithCrc([1, 77, 1, 0, 0, 0, 0, 0, 225, ...new Array(225).fill(1)]), good1),
  ),
  stream("update_offer with version 0 is out of range", cat(rawWithCrc([1, 76, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 32, ...sha]), good1)),
];

const files: Record<string, { description: string; cases: Case[] }> = {
  "messages.json": { description: "Every message type encoded and decoded.", cases: messages },
  "framing.json": { description: "Sequence wrap, delimiters, version and extension rules.", cases: framing },
  "errors.json": { description: "Bad frames: each is rejected with the named error and the decoder recovers.", cases: errors },
  "update.json": { description: "Firmware update messages; they are version-free like the hellos.", cases: update },
};
for (const [name, content] of Object.entries(files)) {
  const path = join(dir, name);
  if (existsSync(path) && !force) {
    console.log(`kept ${name} (frozen; --force to rewrite)`);
    continue;
  }
  writeFileSync(path, `${JSON.stringify(content, null, 2)}\n`);
  console.log(`wrote ${name}: ${content.cases.length} cases`);
}
