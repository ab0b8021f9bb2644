/** Test helper: wait on a condition with a bounded timeout instead of a fixed sleep. */

/** Re-run `check` (an assertion) every `stepMs` until it passes; after `ms`, throw its last error. */
export async function eventually(check: () => unknown | Promise<unknown>, ms = 5000, stepMs = 10): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    await Bun.sleep(stepMs);
  }
}
