import { describe, expect, test } from "bun:test";
import { Backoff } from "./backoff.ts";

describe("reconnect backoff", () => {
  test("doubles to its ceiling and starts over after a success", () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 0.5); // no jitter at the midpoint
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000, 1000]);
    b.reset();
    expect(b.next()).toBe(100);
  });

  test("jitter stays within ±20 %", () => {
    expect(new Backoff({ initialMs: 1000, maxMs: 1000 }, () => 0).next()).toBe(800);
    expect(new Backoff({ initialMs: 1000, maxMs: 1000 }, () => 0.999999).next()).toBe(1200);
  });
});
