/** @module Reconnect delays: doubling from `initialMs` up to `maxMs`, with ±20 % jitter so several hubs never retry in step. */

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export class Backoff {
  private attempt = 0;
  constructor(
    private readonly o: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** Delay before the next attempt; each call counts one failed attempt. */
  next(): number {
    const base = Math.min(this.o.maxMs, this.o.initialMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(base * (0.8 + 0.4 * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }
}
