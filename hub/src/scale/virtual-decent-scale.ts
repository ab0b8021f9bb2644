/**
 * @module A Decent Scale made from the simulator's load cell. The simulator streams what the scale's
 * sensor reports (its lag, period, jitter, drops and resolution come from the scale model) as lines
 * `w <sim_ms> <grams>`; this is the scale's firmware on top: tare, the stable flag, and the BLE
 * notifications and commands in the real Decent format (one codec, `@brewos/protocol/ble`). The
 * hub's driver cannot tell it from the real scale.
 */
import { DECENT_COMMAND_CHAR, DECENT_WEIGHT_CHAR, encodeDecentCommand, encodeDecentWeight, parseDecentCommand } from "@brewos/protocol/ble";
import type { TransportFactory } from "../controller-link/transport.ts";
import type { GattConnector } from "./gatt-link.ts";

/** The Decent Scale calls a reading stable when it moved no more than this over STABLE_WINDOW_MS. */
const STABLE_BAND_G = 0.1;
const STABLE_WINDOW_MS = 500;
const INT16_G = 3276.7;

export interface VirtualScaleStats {
  lines: number;
  badLines: number;
}

export function virtualDecentScale(open: TransportFactory, stats: VirtualScaleStats = { lines: 0, badLines: 0 }): GattConnector {
  return async (events) => {
    let offsetG = 0;
    let rawG: number | null = null;
    const recent: { ms: number; g: number }[] = [];
    let pending = "";
    const dec = new TextDecoder();

    const reading = (ms: number, g: number) => {
      rawG = g;
      recent.push({ ms, g });
      while (recent.length > 1 && (recent[0]?.ms ?? ms) < ms - STABLE_WINDOW_MS) recent.shift();
      const spanMs = ms - (recent[0]?.ms ?? ms);
      let lo = g;
      let hi = g;
      for (const r of recent) {
        lo = Math.min(lo, r.g);
        hi = Math.max(hi, r.g);
      }
      const stable = spanMs >= STABLE_WINDOW_MS - 150 && hi - lo <= STABLE_BAND_G;
      const shown = Math.max(-INT16_G, Math.min(INT16_G, Math.round((g - offsetG) * 10) / 10));
      events.onNotify(DECENT_WEIGHT_CHAR, encodeDecentWeight(shown, stable));
    };

    const line = (text: string) => {
      stats.lines++;
      const m = /^w (\d+) (-?\d+(?:\.\d+)?)$/.exec(text);
      if (!m) {
        stats.badLines++;
        return;
      }
      reading(Number(m[1]), Number(m[2]));
    };

    const t = await open({
      onData: (chunk) => {
        pending += dec.decode(chunk, { stream: true });
        let nl = pending.indexOf("\n");
        while (nl >= 0) {
          line(pending.slice(0, nl));
          pending = pending.slice(nl + 1);
          nl = pending.indexOf("\n");
        }
        if (pending.length > 256) {
          stats.badLines++; // no newline in sight: not our stream; drop it and resynchronise
          pending = "";
        }
      },
      onClose: events.onClose,
    });

    return {
      describe: `virtual Decent Scale via ${t.describe}`,
      write: (characteristic, value) => {
        if (characteristic !== DECENT_COMMAND_CHAR) return; // a real scale ignores other writes too
        const c = parseDecentCommand(value);
        if (!c.ok) return;
        if (c.value.kind === "tare") {
          offsetG = rawG ?? 0;
          recent.length = 0;
          // The scale answers a tare with a 0x0F notification carrying the command's counter.
          events.onNotify(DECENT_WEIGHT_CHAR, encodeDecentCommand({ kind: "tare", counter: c.value.counter }));
        }
      },
      close: () => t.close(),
    };
  };
}
