/** The flake hunt names each failed test from bun test's output, once per run it failed in. */
import { expect, test } from "bun:test";
import { failedTests } from "./lib.mjs";

test("failed tests are read from bun test's output, with and without a duration", () => {
  const out = [
    "(pass) link > reconnects [12.00ms]",
    "(fail) brewos-sim serve > --scale: a bad value is refused [4.69ms]",
    "(fail) sync > a reset keeps unsent edits",
    "      at controller/sim/serve.test.ts:212:20",
    " 1 fail",
  ].join("\n");
  expect(failedTests(out)).toEqual(["brewos-sim serve > --scale: a bad value is refused", "sync > a reset keeps unsent edits"]);
});
