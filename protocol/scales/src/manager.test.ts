/**
 * The connection manager's fault matrix, on a scripted transport and a clock the test moves: each
 * case is a way real scales misbehave (peers.md §5: disconnects, dropped subscriptions, tares that
 * do not stick, a scale nearby that is not ours), and what the owner gets instead of a stall.
 */
import { describe, expect, test } from "bun:test";
import { encodeDecentWeight } from "../../ble/src/decent-scale.ts";
import { acaia, acaiaMessage } from "./acaia.ts";
import { decent } from "./decent.ts";
import { hex } from "./family.ts";
import { ScaleManager, type ScaleStatus, type WeightReading } from "./manager.ts";
import { FakeScale, FakeTransport, ManualClock } from "./testing/fake-transport.ts";

const isDecentTare = (_s: FakeScale, b: Uint8Array) => b[0] === 0x03 && b[1] === 0x0f;

function rig(opts: { remembered?: boolean; tareDelay?: number | null } = {}) {
  const clock = new ManualClock();
  const ours = new FakeScale({ id: "hci0/dev_AA", name: "Decent Scale" }, decent, (g) => encodeDecentWeight(g, true), clock);
  const phantom = new FakeScale({ id: "hci0/dev_BB", name: "Decent Scale" }, decent, (g) => encodeDecentWeight(g, true), clock);
  if (opts.tareDelay !== undefined) ours.tareDelay_ms = opts.tareDelay;
  const transport = new FakeTransport([phantom, ours], isDecentTare);
  const weights: WeightReading[] = [];
  const statuses: ScaleStatus[] = [];
  const m = new ScaleManager({
    transport,
    clock,
    remembered: opts.remembered === false ? [] : [{ id: "hci0/dev_AA", name: "Decent Scale", family: "decent", last_good_ms: null }],
    onWeight: (w) => weights.push(w),
    onStatus: (s) => statuses.push(s),
  });
  return { clock, ours, phantom, transport, m, weights, statuses };
}

const matrix: Record<string, string> = {};
const row = (fault: string, outcome: string) => {
  matrix[fault] = outcome;
};

describe("scale connection manager", () => {
  test("connects to the remembered scale only, streams weight with its lag, keeps it alive", async () => {
    const r = rig();
    r.m.start();
    await r.clock.advance(2500);
    expect(r.m.current.state).toBe("connected");
    expect(r.phantom.connects).toBe(0); // the same model next door is never used
    expect(r.weights.length).toBeGreaterThan(15);
    expect(r.weights[0]).toMatchObject({ lag_s: 0.38, family: "decent" });
    expect(r.ours.writes.some((w) => hex(w.bytes) === "03 0a 03 ff ff 00 0a")).toBe(true); // heartbeat
    row("a stranger's scale of the same model nearby", "ignored; only the remembered one is connected");
    await r.m.stop();
  });

  test("a stream that goes quiet is stale within 1.25 s; a dropped subscription is re-made", async () => {
    const r = rig();
    r.m.start();
    await r.clock.advance(1000);
    r.ours.subscribed = false; // the OS dropped the subscription silently
    await r.clock.advance(1300);
    expect(r.m.current.stale).toBe(true);
    await r.clock.advance(3000);
    expect(r.m.current.resubscribes).toBeGreaterThanOrEqual(1);
    expect(r.m.current.stale).toBe(false);
    expect(r.m.current.state).toBe("connected");
    row("the OS drops the notification subscription", "stale after 1 s, re-subscribed after 3 s, streaming again");
    await r.m.stop();
  });

  test("a scale that stays silent is dropped and reconnected; a power cycle reconnects with backoff", async () => {
    const r = rig();
    r.m.start();
    await r.clock.advance(1000);
    r.ours.streaming = false;
    await r.clock.advance(11_000);
    expect(r.m.current.last_error).toMatch(/no weight for/);
    r.ours.streaming = true;
    await r.clock.advance(2000);
    expect(r.m.current.state).toBe("connected");
    row("connected but silent for 10 s", "dropped and reconnected");

    r.ours.powerOff();
    await r.clock.advance(100);
    expect(r.m.current.state).toBe("reconnecting");
    expect(r.m.current.stale).toBe(true);
    r.ours.powered = true;
    r.ours.refuseConnects = 3;
    await r.clock.advance(8000);
    expect(r.m.current.state).toBe("connected");
    expect(r.m.current.reconnects).toBeGreaterThanOrEqual(4);
    row("the scale is switched off and on (and refuses 3 connects)", "reconnecting, then connected again with backoff");
    await r.m.stop();
  });

  test("a tare is confirmed only by a zero reading: late zero, zero only on the retry, never zero", async () => {
    const late = rig({ tareDelay: 1000 });
    late.ours.weight_g = 212.4; // the cup
    late.m.start();
    await late.clock.advance(1000);
    const t1 = late.m.tare();
    await late.clock.advance(1600);
    expect(await t1).toEqual({ ok: true, attempts: 1 });
    row("the zero arrives 1 s after the tare", "confirmed");

    const never = rig({ tareDelay: null });
    never.ours.weight_g = 212.4;
    never.m.start();
    await never.clock.advance(1000);
    const t2 = never.m.tare();
    await never.clock.advance(3500);
    const r2 = await t2;
    expect(r2.ok).toBe(false);
    expect(!r2.ok && r2.code).toBe("not_zeroed");
    expect(!r2.ok && r2.message).toContain("212.4 g");
    row("the tare never takes", "reported as not zeroed after 2 tries, with the last reading");

    const slow = rig({ tareDelay: 1700 });
    slow.ours.weight_g = 30;
    slow.m.start();
    await slow.clock.advance(1000);
    const t3 = slow.m.tare();
    await slow.clock.advance(3500);
    expect(await t3).toEqual({ ok: true, attempts: 2 });
    row("the zero comes only after the retry", "confirmed on the second try");

    const none = rig({ remembered: false });
    expect(await none.m.tare()).toMatchObject({ ok: false, code: "no_scale" });
    row("tare with no scale", "refused at once: no scale");
    await Promise.all([late.m.stop(), never.m.stop(), slow.m.stop()]);
  });

  test("commands are spaced as the family needs and repeated for Decent firmware that drops them", async () => {
    const r = rig();
    r.m.start();
    await r.clock.advance(1000);
    const before = r.ours.writes.length;
    expect(r.m.command("timer_start")).toBe(true);
    expect(r.m.command("timer_stop")).toBe(true);
    await r.clock.advance(2000);
    const sent = r.ours.writes.slice(before).filter((w) => w.bytes[1] === 0x0b);
    expect(sent.length).toBe(4);
    for (let i = 1; i < sent.length; i++)
      expect((sent[i]?.at ?? 0) - (sent[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(decent.minCommandSpacing_ms);
    row("Decent v1.0 drops commands", "each sent twice, >= 200 ms apart");
    await r.m.stop();
  });

  test("corrupt and duplicate notifications never read as weight or stall anything", async () => {
    const r = rig();
    r.ours.period_ms = 50;
    const good = r.ours.encode;
    let n = 0;
    (r.ours as { encode: (g: number) => Uint8Array }).encode = (g) => {
      n++;
      if (n % 3 === 0) return Uint8Array.from([0x03, 0xce, 0x00, 0x10, 0, 0, 0x99]); // bad XOR
      return good(g);
    };
    r.ours.weight_g = 18;
    r.m.start();
    await r.clock.advance(2000);
    expect(r.m.current.corrupt_frames).toBeGreaterThan(5);
    expect(r.weights.every((w) => w.grams === 18)).toBe(true);
    row("1 in 3 notifications corrupt", "counted and dropped; weight stays right");
    await r.m.stop();
  });

  test("with two remembered scales the last good one is preferred; an Acaia gets its handshake and heartbeat", async () => {
    const clock = new ManualClock();
    const lunar = new FakeScale({ id: "L", name: "LUNAR-1" }, acaia, () => acaiaMessage(0x0c, [0x08, 0x05, 0x68, 0x01, 0, 0, 1, 0]), clock);
    const old = new FakeScale({ id: "D", name: "Decent Scale" }, decent, (g) => encodeDecentWeight(g, true), clock);
    const m = new ScaleManager({
      transport: new FakeTransport([old, lunar], () => false),
      clock,
      remembered: [
        { id: "D", name: "Decent Scale", family: "decent", last_good_ms: 1 },
        { id: "L", name: "LUNAR-1", family: "acaia", last_good_ms: 5 },
      ],
    });
    m.start();
    await clock.advance(4500);
    expect(m.current.scale?.id).toBe("L");
    expect(old.connects).toBe(0);
    expect(lunar.writes.slice(0, 2).map((w) => w.bytes[2])).toEqual([0x0b, 0x0c]); // identify, then events
    expect(lunar.writes.filter((w) => w.bytes[2] === 0x00).length).toBeGreaterThanOrEqual(2); // heartbeats
    expect(m.current.last_weight_g).toBe(36);
    row("two remembered scales in range", "the last good one is used");
    await m.stop();
    console.log(`scale fault matrix: ${JSON.stringify(matrix, null, 1)}`);
  });
});
