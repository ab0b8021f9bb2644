/**
 * A shot logged by hand and timed with the scale this phone holds: the shared connection manager
 * over the scripted fake scale transport (a Decent Scale streaming at 10 Hz on a clock the test
 * moves), the tare confirmed by a zero reading before the clock starts, the time and the cup filled
 * in from the scale at Stop, and the weight curve saved with the shot on this device.
 */
import { afterEach, expect, test } from "bun:test";
import { encodeDecentWeight } from "@brewos/protocol/ble";
import { familyById } from "@brewos/protocol/scales";
import { FakeScale, FakeTransport, ManualClock } from "@brewos/protocol/scales/testing";
import { act, cleanup, fireEvent, render } from "@testing-library/react";
import { db } from "../../data/db.ts";
import { eventually } from "../../testing/eventually.ts";
import { forgetPhoneScale, holdPhoneScale, usePhoneScale } from "../scale/phone-scale.ts";
import { ManualShotForm } from "./ManualShotForm.tsx";

afterEach(async () => {
  cleanup();
  await forgetPhoneScale();
  await db.shots.clear();
  await db.outbox.clear();
});

const decent = familyById("decent");

test("timed with the phone's scale: zeroed first, then time, cup and weight curve come from the scale", async () => {
  if (!decent) throw new Error("no decent family");
  const clock = new ManualClock();
  const scale = new FakeScale({ id: "dev-1", name: "Decent Scale" }, decent, (g) => encodeDecentWeight(g, true), clock);
  scale.weight_g = 4.2; // the empty cup on the scale
  const transport = new FakeTransport([scale], (_s, b) => b[0] === 0x03 && b[1] === 0x0f);
  let done = false;
  const v = render(<ManualShotForm onDone={() => (done = true)} />);
  await act(() => holdPhoneScale(transport, { id: "dev-1", name: "Decent Scale", family: "decent" }, clock));
  await act(() => clock.advance(1000));
  await eventually(() => expect(usePhoneScale.getState().status?.state).toBe("connected"));

  fireEvent.click(v.getByRole("button", { name: "Time it with the scale" }));
  await act(() => clock.advance(800)); // the tare takes 300 ms on this scale, then reads zero
  await eventually(() => expect(v.getByRole("button", { name: "Stop" })).toBeTruthy());
  // 28 s of a shot: the cup fills to 36 g.
  for (let i = 1; i <= 280; i++) {
    scale.weight_g = 4.2 + (36 * i) / 280;
    await act(() => clock.advance(100));
  }
  expect(v.getByTestId("scale-timer").textContent).toMatch(/^2[78]\.\d s · 3[56]\.\d g$/);
  fireEvent.click(v.getByRole("button", { name: "Stop" }));
  expect(Number((v.getByLabelText("Time (s)") as HTMLInputElement).value)).toBeGreaterThanOrEqual(27);
  expect(Number((v.getByLabelText("Time (s)") as HTMLInputElement).value)).toBeLessThanOrEqual(29);
  expect(Number((v.getByLabelText("Yield (g)") as HTMLInputElement).value)).toBeCloseTo(36, 0);
  expect(v.getByText(/The weight curve from the scale is saved with the shot \(\d+ readings\)\./)).toBeTruthy();

  fireEvent.submit(v.getByRole("form", { name: "Log a shot by hand" }));
  await eventually(() => expect({ done, said: v.queryByRole("alert")?.textContent ?? null }).toEqual({ done: true, said: null }));
  const [saved] = await db.shots.toArray();
  const curve = saved?.weight_curve;
  expect(curve?.t_s.length).toBeGreaterThan(250);
  expect(curve?.t_s[0]).toBeGreaterThanOrEqual(0);
  expect(Math.abs((curve?.g[0] ?? 99) - 0)).toBeLessThan(0.5); // from the zero, not the empty cup
  expect(curve?.g.at(-1)).toBeCloseTo(36, 0);
  expect((await db.outbox.toArray())[0]?.create?.weight_curve?.t_s.length).toBe(curve?.t_s.length);
}, 30000);

test("a scale that will not zero is said so, and the clock does not start", async () => {
  if (!decent) throw new Error("no decent family");
  const clock = new ManualClock();
  const scale = new FakeScale({ id: "dev-2", name: "Decent Scale" }, decent, (g) => encodeDecentWeight(g, true), clock);
  scale.weight_g = 4.2;
  scale.tareDelay_ms = null; // the tare never takes
  const v = render(<ManualShotForm onDone={() => {}} />);
  await act(() =>
    holdPhoneScale(new FakeTransport([scale], (_s, b) => b[0] === 0x03 && b[1] === 0x0f), { ...scale.found, family: "decent" }, clock),
  );
  await act(() => clock.advance(1000));
  await eventually(() => expect(usePhoneScale.getState().status?.state).toBe("connected"));
  fireEvent.click(v.getByRole("button", { name: "Time it with the scale" }));
  for (let i = 0; i < 40; i++) await act(() => clock.advance(100));
  await eventually(() => expect(v.getByRole("alert").textContent).toContain("Not zeroed"));
  expect(v.queryByRole("button", { name: "Stop" })).toBeNull();
});
