import { describe, expect, test } from "bun:test";
import { uuidv7, uuidv7Ms } from "./uuidv7.ts";

describe("UUIDv7", () => {
  test("version 7, RFC variant, its time readable back", () => {
    const id = uuidv7(1_790_000_000_123);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidv7Ms(id)).toBe(1_790_000_000_123);
  });

  test("an old time (an imported shot) keeps its own timestamp even after newer ids", () => {
    uuidv7(Date.now());
    const old = uuidv7(1_600_000_000_000);
    expect(uuidv7Ms(old)).toBe(1_600_000_000_000);
    expect(uuidv7(Date.now()) > old).toBe(true);
  });

  test("ids made in a burst, even in one millisecond, sort in the order they were made", () => {
    const t = Date.now();
    const ids = Array.from({ length: 5000 }, () => uuidv7(t));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
