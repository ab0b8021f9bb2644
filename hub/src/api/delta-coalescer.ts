/**
 * @module Paces machine deltas for clients: every delta goes out at once while brewing (the
 * controller's 20 Hz), otherwise changes are merged and sent at most every `idleMs` (2 Hz).
 * A merged delta carries `from_seq`..`seq`; since its values are absolute, a client whose seq is
 * at least from_seq - 1 applies it and is exact. Nothing is dropped: merging keeps the newest value.
 * A slow link (Bluetooth) paces the already paced deltas again, at its own rate, the same way.
 */
import type { MachineDelta, MachineSnapshotFields } from "../machine/machine-state.ts";

export interface PacedDelta {
  type: "delta";
  from_seq: number;
  seq: number;
  changes: Partial<MachineSnapshotFields>;
  /** Arrival of the newest input merged into this delta. */
  rx_ms: number;
}

export class DeltaCoalescer {
  private pending: PacedDelta | null = null;
  private lastSentMs = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: (d: PacedDelta) => void,
    private readonly isBrewing: () => boolean,
    private readonly idleMs = 500,
  ) {}

  /** A delta from the machine, or one already paced (its `from_seq` kept, so a slower link merges further). */
  push(d: MachineDelta | PacedDelta): void {
    if (this.pending) {
      Object.assign(this.pending.changes, d.changes);
      this.pending.seq = d.seq;
      this.pending.rx_ms = Math.max(this.pending.rx_ms, d.rx_ms);
    } else {
      this.pending = {
        type: "delta",
        from_seq: "from_seq" in d ? d.from_seq : d.seq,
        seq: d.seq,
        changes: { ...d.changes },
        rx_ms: d.rx_ms,
      };
    }
    const now = Date.now();
    if (this.isBrewing() || "brewing" in d.changes || now - this.lastSentMs >= this.idleMs) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.idleMs - (now - this.lastSentMs));
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    this.lastSentMs = Date.now();
    this.send(p);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
