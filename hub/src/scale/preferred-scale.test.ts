/**
 * Which scale brew-by-weight uses: the hub's own while it streams, else a phone's; readings from
 * the scale not in use never reach brew-by-weight; a switch is heard as one scale going and the
 * other coming. Both sides here are the hub's real PhoneScale sources, fed as a phone's /ws would.
 */
import { expect, test } from "bun:test";
import { PHONE_SCALE_VERSION, type PhoneScaleReport } from "@brewos/protocol/api/phone-scale";
import { PhoneScale } from "./phone-scale.ts";
import { PreferredScale } from "./preferred-scale.ts";
import { scaleModelFor } from "./scale-source.ts";

let now = 1_000_000;
const report = (grams: number, family = "decent"): PhoneScaleReport => ({
  type: "phone_scale",
  v: PHONE_SCALE_VERSION,
  scale: { name: family, family, lag_ms: 380, battery_pct: null },
  readings: [{ grams, stable: true, age_ms: 0 }],
});
const ignore = () => true;

test("the hub's own scale comes first; the phone's fills in while the own one is silent", async () => {
  const own = new PhoneScale(() => now);
  const phone = new PhoneScale(() => now);
  const s = new PreferredScale(own, phone);
  const changes: (string | null)[] = [];
  const grams: number[] = [];
  // The own one is a Decent, the phone's an Acaia: the controller's scale model tells them apart.
  s.onChange((d) => changes.push(d === null ? null : d.model === scaleModelFor("decent") ? "own" : "phone"));
  s.onReading((r) => grams.push(r.grams));

  phone.receive("phone", ignore, report(1.0, "acaia"));
  expect(s.which()).toBe("phone");
  own.receive("own", ignore, report(2.0));
  expect(s.which()).toBe("own");
  phone.receive("phone", ignore, report(1.1, "acaia")); // not in use: not heard
  own.receive("own", ignore, report(2.1));
  expect(grams).toEqual([1.0, 2.0, 2.1]);
  // The phone's came, then went as the own one came.
  expect(changes).toEqual(["phone", null, "own"]);

  // The own scale goes quiet for a second: the phone's takes over.
  now += 1200;
  phone.receive("phone", ignore, report(1.2, "acaia"));
  own.start(); // its staleness check runs every 200 ms
  await Bun.sleep(300);
  await own.stop();
  expect(s.which()).toBe("phone");
  expect(changes.slice(3)).toEqual([null, "phone"]);
  phone.receive("phone", ignore, report(1.3, "acaia"));
  expect(grams.slice(3)).toEqual([1.3]); // 1.2 came while the own one was still in use
});

test("tare goes to the scale in use; with none, it says so", async () => {
  const phone = new PhoneScale(() => now);
  const s = new PreferredScale(null, phone);
  expect(await s.tare()).toMatchObject({ ok: false, code: "no_scale" });
  const sent: Record<string, unknown>[] = [];
  phone.receive(
    "p",
    (m) => {
      sent.push(m as Record<string, unknown>);
      if ((m as { type: string }).type === "phone_scale_tare")
        queueMicrotask(() => phone.receive("p", ignore, { type: "phone_scale_tared", v: 1, id: (m as { id: number }).id, ok: true }));
      return true;
    },
    report(0.3),
  );
  expect(await s.tare()).toEqual({ ok: true });
  expect(sent.map((m) => m.type)).toEqual(["phone_scale_tare"]);
});
