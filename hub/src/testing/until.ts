/** Test helper: wait until `pick()` gives something (polling every 10 ms) and return it, or fail saying what did not happen. */
export async function until<T>(what: string, pick: () => T | false | null | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = pick();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await Bun.sleep(10);
  }
}
