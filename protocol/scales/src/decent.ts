/**
 * @module The Decent Scale family (Decent, Half Decent, EspressiScale; peers.md §3.2) as a scale
 * family, on the one Decent codec the hub driver and the simulator already share (protocol/ble).
 */
import { encodeDecentCommand, parseDecentNotification } from "../../ble/src/decent-scale.ts";
import { frameDecoder, type ScaleEvent, type ScaleFamily, uuid16 } from "./family.ts";

export const decent: ScaleFamily = {
  id: "decent",
  label: "Decent Scale",
  models: ["Decent Scale", "Half Decent", "EspressiScale"],
  matches: (n) => /^(decent scale|espressiscale)/i.test(n),
  gatt: [{ service: uuid16(0xfff0), notify: [uuid16(0xfff4)], write: uuid16(0x36f5) }],
  decoder: () =>
    frameDecoder((b): ScaleEvent[] => {
      const r = parseDecentNotification(b);
      if (!r.ok) return [{ kind: "corrupt", reason: `Decent ${r.error}: ${r.detail}` }];
      const v = r.value;
      if (v.kind === "weight")
        return [
          { kind: "weight", grams: v.grams, stable: v.stable, ...(v.timestamp_ms !== null ? { timer_s: v.timestamp_ms / 1000 } : {}) },
        ];
      if (v.kind === "button") return [{ kind: "button", button: v.button === 1 ? "tare" : "timer", code: v.button }];
      if (v.kind === "tare_ack") return [{ kind: "tare_ack" }];
      return [];
    }),
  command: (c, seq = 0) => {
    switch (c) {
      case "tare":
        return [encodeDecentCommand({ kind: "tare", counter: seq & 0xff })];
      case "timer_start":
        return [encodeDecentCommand({ kind: "timer", action: "start" })];
      case "timer_stop":
        return [encodeDecentCommand({ kind: "timer", action: "stop" })];
      case "timer_reset":
        return [encodeDecentCommand({ kind: "timer", action: "reset" })];
      case "led_on":
        return [encodeDecentCommand({ kind: "led", on: true })];
      case "led_off":
        return [encodeDecentCommand({ kind: "led", on: false })];
    }
  },
  handshake: () => [encodeDecentCommand({ kind: "led", on: true })],
  keepAlive: { every_ms: 2000, bytes: () => [encodeDecentCommand({ kind: "heartbeat" })] },
  minCommandSpacing_ms: 200,
  // v1.0 firmware drops commands: de1app and Beanconqueror send each twice, 200-500 ms apart.
  repeatCommands: 2,
  lag_s: 0.38,
  resolution_g: 0.1,
};
