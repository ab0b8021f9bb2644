/**
 * @module The ACME DNS-01 values the relay publishes (docs/lan-https.md): only a hub that proved
 * its key may publish, only at its own challenge name, a few values at a time and a few times an
 * hour; values expire by themselves. In memory: a challenge lives for the minute of an issuance.
 * With several instances each change is told to the others (`onChange`), which mirror it, so the
 * zone's DNS answers the same at every instance.
 */
import { acmeChallengeName, TXT_LIFE_MS, TXT_PUBLISHES_PER_HOUR, TXT_VALUE, TXT_VALUES_PER_NAME } from "@brewos/protocol/relay/lan-names";

export interface TxtValue {
  value: string;
  until: number;
}

export type TxtResult =
  | { ok: true }
  | { ok: false; code: "no_zone" | "not_yours" | "bad_value" | "too_many" | "too_fast"; message: string };

export class TxtRecords {
  private readonly values = new Map<string, TxtValue[]>();
  private readonly publishes = new Map<string, number[]>();
  /** Told every change here (the cluster passes it on). */
  onChange: ((name: string, values: TxtValue[]) => void) | null = null;

  constructor(
    private readonly zone: string | null,
    private readonly now: () => number = Date.now,
  ) {}

  /** Another instance's change: take its values for a challenge name of this zone. */
  mirror(name: unknown, values: unknown): void {
    if (!this.zone || typeof name !== "string" || !name.startsWith("_acme-challenge.") || !name.endsWith(`.${this.zone}`)) return;
    if (!Array.isArray(values)) return;
    const ok = values
      .filter((v): v is TxtValue => typeof v?.value === "string" && TXT_VALUE.test(v.value) && typeof v.until === "number")
      .slice(0, TXT_VALUES_PER_NAME)
      .map((v) => ({ value: v.value, until: Math.min(v.until, this.now() + TXT_LIFE_MS) }));
    if (ok.length) this.values.set(name, ok);
    else this.values.delete(name);
  }

  /** Hub `hubId` (proven) asks to publish `value` at `name`. */
  publish(hubId: string, name: unknown, value: unknown): TxtResult {
    if (!this.zone) return { ok: false, code: "no_zone", message: "this relay serves no DNS zone" };
    const mine = acmeChallengeName(hubId, this.zone);
    if (typeof name !== "string" || name.toLowerCase().replace(/\.$/, "") !== mine)
      return { ok: false, code: "not_yours", message: `a hub publishes at its own name only (${mine})` };
    if (typeof value !== "string" || !TXT_VALUE.test(value))
      return { ok: false, code: "bad_value", message: "an ACME DNS-01 value is 43 base64url characters" };
    const t = this.now();
    const recent = (this.publishes.get(hubId) ?? []).filter((at) => t - at < 3_600_000);
    if (recent.length >= TXT_PUBLISHES_PER_HOUR) {
      this.publishes.set(hubId, recent);
      return { ok: false, code: "too_fast", message: `at most ${TXT_PUBLISHES_PER_HOUR} challenge values an hour` };
    }
    const live = this.live(mine).filter((v) => v.value !== value);
    if (live.length >= TXT_VALUES_PER_NAME)
      return { ok: false, code: "too_many", message: `at most ${TXT_VALUES_PER_NAME} values at once` };
    recent.push(t);
    this.publishes.set(hubId, recent);
    const next = [...live, { value, until: t + TXT_LIFE_MS }];
    this.values.set(mine, next);
    this.onChange?.(mine, next);
    return { ok: true };
  }

  /** The hub is done with a value (or with all of its values: no `value`). */
  clear(hubId: string, value?: unknown): void {
    if (!this.zone) return;
    const mine = acmeChallengeName(hubId, this.zone);
    const left = value === undefined ? [] : this.live(mine).filter((v) => v.value !== value);
    if (left.length) this.values.set(mine, left);
    else this.values.delete(mine);
    this.onChange?.(mine, left);
  }

  /** What a TXT query for `name` is answered with. */
  lookup(name: string): string[] {
    return this.live(name.toLowerCase().replace(/\.$/, "")).map((v) => v.value);
  }

  private live(name: string): TxtValue[] {
    const t = this.now();
    const v = (this.values.get(name) ?? []).filter((x) => x.until > t);
    if (v.length) this.values.set(name, v);
    else this.values.delete(name);
    return v;
  }
}
