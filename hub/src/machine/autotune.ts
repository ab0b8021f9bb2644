/**
 * @module Autotune results from the controller: the gains it proposes for a boiler after a relay
 * test. Kept (last per boiler) so an app that was closed during the test still sees them; nothing
 * is applied until a person saves them as settings.
 */

import type { AutotuneResult } from "@brewos/protocol/api";
import { AutotuneStatus, type UartMessage } from "@brewos/protocol/uart";
import { enumNamer } from "./enum-names.ts";

const statusName = enumNamer(AutotuneStatus);

export class AutotuneResults {
  private readonly last: { brew: AutotuneResult | null; steam: AutotuneResult | null } = { brew: null, steam: null };
  private readonly listeners = new Set<(r: AutotuneResult) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  handle(m: UartMessage): void {
    if (m.type !== "autotune_result") return;
    const r: AutotuneResult = {
      boiler: m.boiler === 0 ? "brew" : "steam",
      status: String(statusName(m.status)),
      kp_milli: m.kp_milli,
      ki_milli: m.ki_milli,
      kd_milli: m.kd_milli,
      period_s: m.period_ms / 1000,
      amplitude_c: m.amplitude_cdeg / 100,
      at_ms: this.now(),
    };
    this.last[r.boiler] = r;
    for (const l of this.listeners) l(r);
  }

  view(): { brew: AutotuneResult | null; steam: AutotuneResult | null } {
    return { ...this.last };
  }

  onResult(listener: (r: AutotuneResult) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
