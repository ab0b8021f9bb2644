/**
 * @module One lane for heavy requests (backup export and import): they run one after another,
 * never side by side, so two big restores cannot double the hub's memory or starve the link.
 * Uploads do not wait in it (Bun would buffer their unread bodies): the route refuses one while the
 * lane is busy.
 */
export class HeavyLane {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private active = 0;

  /** Something runs or waits in the lane. */
  get busy(): boolean {
    return this.active + this.queued > 0;
  }

  get waiting(): number {
    return this.queued;
  }

  /** Waits for the lane; call the returned function when done (exactly once). */
  async enter(): Promise<() => void> {
    this.queued++;
    let release = () => {};
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const before = this.tail;
    this.tail = before.then(() => mine);
    await before;
    this.queued--;
    this.active++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.active--;
      release();
    };
  }
}
