/**
 * The phone's lender on its own: readings batched with their age, the hub told once when the scale
 * stops being usable, silence after a refusal until the owner tries again, tares answered by id.
 * The scale is a plain status the test sets (what the connection manager reports).
 */
import { expect, test } from "bun:test";
import { SCALE_OFF, type ScaleStatus, type TareResult } from "../../scales/src/manager.ts";
import { PhoneScaleLender } from "./phone-scale-lender.ts";

const status = (over: Partial<ScaleStatus> = {}): ScaleStatus => ({
  ...SCALE_OFF,
  state: "connected",
  scale: { id: "a", name: "Decent Scale", family: "decent", last_good_ms: null },
  battery_pct: 70,
  ...over,
});

function setup() {
  let now = 10_000;
  const sent: Record<string, unknown>[] = [];
  const scale = {
    current: status(),
    currentLag_s: 0.38,
    tareAnswer: { ok: true, attempts: 1 } as TareResult,
    tare: async () => scale.tareAnswer,
  };
  const lender = new PhoneScaleLender({ send: (m) => sent.push(m as Record<string, unknown>) > 0, now: () => now });
  return { lender, sent, scale, advance: (ms: number) => (now += ms), at: () => now };
}

test("readings go out batched with their age; nothing new, nothing sent", () => {
  const { lender, sent, scale, advance, at } = setup();
  lender.use(scale);
  expect(sent).toHaveLength(1); // announced at once, no readings yet
  lender.reading({ grams: 1.2, stable: false, at_ms: at(), lag_s: 0.38, family: "decent" });
  advance(40);
  lender.reading({ grams: 1.5, stable: true, at_ms: at(), lag_s: 0.38, family: "decent" });
  advance(60);
  lender.tick();
  expect(sent[1]).toEqual({
    type: "phone_scale",
    v: 1,
    scale: { name: "Decent Scale", family: "decent", lag_ms: 380, battery_pct: 70 },
    readings: [
      { grams: 1.2, stable: false, age_ms: 100 },
      { grams: 1.5, stable: true, age_ms: 60 },
    ],
  });
  lender.tick();
  expect(sent).toHaveLength(2);
});

test("a stale or lost scale is reported once; lending off says so too", () => {
  const { lender, sent, scale } = setup();
  lender.use(scale);
  scale.current = status({ stale: true });
  lender.tick();
  lender.tick();
  expect(sent.slice(1)).toEqual([{ type: "phone_scale", v: 1, scale: null, readings: [] }]);
  scale.current = status();
  lender.tick();
  expect(sent).toHaveLength(3);
  lender.setLending(false);
  expect(sent.at(-1)).toMatchObject({ scale: null });
});

test("after a refusal the phone stops sending until the owner tries again", async () => {
  const { lender, sent, scale } = setup();
  lender.use(scale);
  await lender.receive({ type: "phone_scale_refused", v: 1, message: "the hub is using another phone's scale" });
  expect(lender.refused).toContain("another phone");
  const n = sent.length;
  lender.tick();
  expect(sent).toHaveLength(n);
  lender.setLending(true);
  expect(sent.length).toBeGreaterThan(n);
});

test("a tare is answered with its id, and says why it failed", async () => {
  const { lender, sent, scale } = setup();
  lender.use(scale);
  await lender.receive({ type: "phone_scale_tare", v: 1, id: 7 });
  expect(sent.at(-1)).toEqual({ type: "phone_scale_tared", v: 1, id: 7, ok: true });
  scale.tareAnswer = { ok: false, code: "not_zeroed", message: "the scale read 2.1 g after the tare" };
  await lender.receive({ type: "phone_scale_tare", v: 1, id: 8 });
  expect(sent.at(-1)).toEqual({ type: "phone_scale_tared", v: 1, id: 8, ok: false, message: "the scale read 2.1 g after the tare" });
});
