/**
 * @module Updating the controller through the link (protocol/uart/SPEC.md §8), started by the owner:
 * offer the signed release, send the chunks from where the controller says it is (so a lost chunk,
 * a link drop or a hub restart resumes rather than restarts), finish, then follow the reboot until
 * the new image confirms itself or the boot ROM falls back. It works whatever protocol major the
 * controller speaks: an incompatible controller gets no heat (it refuses control) and this is how
 * it is fixed. The controller, not the hub, keeps the machine safe meanwhile (heaters off).
 */

import type { ControllerFirmware, UpdateOutcome, UpdatePhase } from "@brewos/protocol/api";
import {
  AckResult,
  BootState,
  type ControllerHelloMessage,
  type UartMessage,
  UpdateResult,
  UpdateState,
  type UpdateStatusMessage,
} from "@brewos/protocol/uart";
import type { CommandMessage, LinkState } from "../controller-link/controller-link.ts";
import { type ControllerRelease, type ReleaseCheck, versionText } from "./release.ts";

/** What the updater needs of the controller link. */
export interface UpdaterLink {
  command(msg: CommandMessage): Promise<{ result: number; detail: number }>;
  onMessage(listener: (m: UartMessage) => void): () => void;
  onState(listener: (s: LinkState) => void): () => void;
  health(): { state: LinkState; last_error: string | null };
}

export type FirmwareView = ControllerFirmware;

export type StartResult = { ok: true } | { ok: false; code: string; message: string };

const CHUNK_BYTES = 224;
const STATUS_WAIT_MS = 2000;
const LINK_BACK_MS = 20000;
const REBOOT_WAIT_MS = 15000;
/** The boot ROM's trial window is 16.7 s; a little more, and the fallback has happened. */
const CONFIRM_WAIT_MS = 25000;
const RESUMES = 8;

const BOOT_NAMES = ["confirmed", "trial", "rolled_back"] as const;
const RESULT_TEXT: Partial<Record<number, [string, string]>> = {
  [UpdateResult.not_newer]: ["not_newer", "the controller already runs this version or a newer one"],
  [UpdateResult.too_big]: ["too_big", "the image does not fit the controller's update slot"],
  [UpdateResult.busy]: ["busy", "the machine is busy (a shot or autotune runs); try again when it is idle"],
  [UpdateResult.flash_error]: ["flash_error", "the controller could not write its flash; the old firmware stays"],
  [UpdateResult.hash_mismatch]: ["hash_mismatch", "the image arrived damaged (SHA-256 differs); nothing was switched"],
  [UpdateResult.timed_out]: ["timed_out", "the transfer stalled and the controller gave up; the old firmware stays"],
  [UpdateResult.aborted]: ["aborted", "the update was cancelled; the old firmware stays"],
  [UpdateResult.selftest_failed]: ["selftest_failed", "the new firmware failed its self-test and the controller went back"],
};

class UpdateFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class ControllerUpdater {
  private status: Omit<UpdateStatusMessage, "type" | "seq"> | null = null;
  private hello: ControllerHelloMessage | null = null;
  private phase: UpdatePhase = "idle";
  private target: ControllerRelease | null = null;
  private sent = 0;
  private last: FirmwareView["last"] = null;
  private sawSelftestFail = false;
  private aborting = false;
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Set<(v: FirmwareView) => void>();

  constructor(
    private readonly link: UpdaterLink,
    private readonly release: () => ReleaseCheck,
    private readonly log: (level: "info" | "warn", text: string) => void = () => undefined,
  ) {
    link.onMessage((m) => {
      if (m.type === "update_status") this.onStatus(m);
      else if (m.type === "controller_hello") this.hello = m;
      else return;
      for (const w of [...this.waiters]) w();
      this.changed();
    });
    link.onState(() => {
      for (const w of [...this.waiters]) w();
      this.changed();
    });
  }

  onChange(listener: (v: FirmwareView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  view(): FirmwareView {
    const r = this.release();
    const running = this.status?.running_version ?? this.helloVersion();
    const h = this.link.health();
    return {
      running:
        running === null
          ? null
          : {
              version: versionText(running),
              proto_major: this.hello?.proto_major ?? 0,
              boot: BOOT_NAMES[this.status?.boot ?? 0] ?? "confirmed",
            },
      compatible: h.state === "up",
      link_problem: h.state === "version_mismatch" ? h.last_error : null,
      available: r.ok
        ? {
            version: r.release.manifest.version,
            notes: r.release.manifest.notes,
            newer: running !== null && r.release.version > running,
            size: r.release.image.length,
          }
        : null,
      release_problem: r.ok || r.code === "none" ? null : { code: r.code, message: r.message },
      update: {
        phase: this.phase,
        version: this.target?.manifest.version ?? null,
        sent_bytes: this.sent,
        size: this.target?.image.length ?? 0,
      },
      last: this.last ?? this.bootReport(),
    };
  }

  /** Begin updating to the release; progress and the outcome arrive through view() and onChange. */
  start(): StartResult {
    if (this.phase !== "idle") return { ok: false, code: "in_progress", message: "an update is already running" };
    const r = this.release();
    if (!r.ok) return { ok: false, code: r.code === "none" ? "no_release" : r.code, message: r.message };
    const state = this.link.health().state;
    if (state !== "up" && state !== "version_mismatch") {
      return { ok: false, code: "link_down", message: `the controller is not connected (${state})` };
    }
    const running = this.status?.running_version ?? this.helloVersion();
    if (running !== null && r.release.version <= running) {
      return { ok: false, code: "not_newer", message: `the controller already runs ${versionText(running)}` };
    }
    void this.run(r.release);
    return { ok: true };
  }

  /** Cancel an update that has not reached the reboot. */
  async abort(): Promise<StartResult> {
    if (this.phase !== "sending" && this.phase !== "verifying") {
      return { ok: false, code: "not_running", message: "no update is being sent" };
    }
    this.aborting = true;
    await this.link.command({ type: "update_abort", version: this.target?.version ?? 0 }).catch(() => undefined);
    return { ok: true };
  }

  private helloVersion(): number | null {
    const h = this.hello;
    return h ? (h.fw_major << 16) | (h.fw_minor << 8) | h.fw_patch : null;
  }

  /** After a restart of the hub: what the controller's own boot says about the last update. */
  private bootReport(): FirmwareView["last"] {
    const s = this.status;
    if (!s || s.boot !== BootState.rolled_back) return null;
    return {
      outcome: "rolled_back",
      version: versionText(s.other_version),
      code: "rolled_back",
      message: `firmware ${versionText(s.other_version)} did not confirm itself; ${versionText(s.running_version)} runs again`,
      at: 0,
    };
  }

  private onStatus(m: UpdateStatusMessage): void {
    const { type: _t, seq: _s, ...rest } = m;
    this.status = rest;
    if (m.result === UpdateResult.selftest_failed) this.sawSelftestFail = true;
    // A hub that restarted mid-transfer: the controller still holds the update; carry on.
    const r = this.phase === "idle" && m.state === UpdateState.receiving ? this.release() : null;
    if (r?.ok && r.release.version === m.offer_version) {
      this.log("info", `controller update to ${r.release.manifest.version} was interrupted at ${m.next_offset} B: resuming`);
      void this.run(r.release);
    }
  }

  private changed(): void {
    const v = this.view();
    for (const l of this.listeners) l(v);
  }

  /** Resolves once `pick()` returns a value (checked on every message and link change), or fails. */
  private waitFor<T>(pick: () => T | null | undefined, ms: number, code: string, message: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const v = pick();
        if (v === null || v === undefined) return;
        done();
        resolve(v);
      };
      const timer = setTimeout(() => {
        done();
        reject(new UpdateFailed(code, message));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  private linkUsable(): boolean {
    const s = this.link.health().state;
    return s === "up" || s === "version_mismatch";
  }

  private async run(rel: ControllerRelease): Promise<void> {
    this.target = rel;
    this.sent = 0;
    this.aborting = false;
    this.sawSelftestFail = false;
    this.phase = "sending";
    this.changed();
    const v = rel.manifest.version;
    this.log("info", `controller update to ${v}: ${rel.image.length} B`);
    try {
      await this.transfer(rel);
      this.phase = "verifying";
      this.changed();
      const verdict = await this.waitFor(
        () => {
          const s = this.status;
          if (s?.state === UpdateState.rebooting) return "rebooting" as const;
          if (s?.state === UpdateState.idle && s.result !== UpdateResult.none) return s.result;
          return null;
        },
        10000,
        "no_verdict",
        "the controller did not report its check of the image",
      );
      if (verdict !== "rebooting") throw this.failure(verdict);
      this.phase = "rebooting";
      this.changed();
      const before = this.hello;
      await this.waitFor(() => (this.hello !== before ? true : null), REBOOT_WAIT_MS, "no_reboot", "the controller did not restart");
      this.phase = "confirming";
      this.changed();
      const outcome = await this.waitFor(
        () => {
          const s = this.status;
          if (s?.running_version === rel.version && s.result === UpdateResult.confirmed) return "confirmed" as const;
          if (s && s.running_version !== rel.version && this.helloVersion() !== rel.version) return "rolled_back" as const;
          return null;
        },
        CONFIRM_WAIT_MS,
        "not_confirmed",
        "the new firmware neither confirmed itself nor fell back in time",
      );
      if (outcome === "confirmed") {
        this.finishWith("confirmed", v, "confirmed", `firmware ${v} runs and confirmed itself`);
      } else {
        const why = this.sawSelftestFail
          ? "it failed its self-test"
          : "it did not confirm itself within the trial window (no link to the hub)";
        this.finishWith(
          "rolled_back",
          v,
          this.sawSelftestFail ? "selftest_failed" : "rolled_back",
          `firmware ${v} was rolled back: ${why}`,
        );
      }
    } catch (e) {
      const f = e instanceof UpdateFailed ? e : new UpdateFailed("failed", (e as Error).message);
      this.finishWith("failed", v, f.code, f.message);
    }
  }

  private failure(result: number): UpdateFailed {
    const [code, message] = RESULT_TEXT[result] ?? ["failed", "the controller refused the update"];
    return new UpdateFailed(code, message);
  }

  private finishWith(outcome: UpdateOutcome, version: string, code: string, message: string): void {
    this.last = { outcome, version, code, message, at: Date.now() };
    this.phase = "idle";
    this.target = null;
    this.log(outcome === "confirmed" ? "info" : "warn", `controller update: ${message}`);
    this.changed();
  }

  /** Offer, then chunks from the controller's next_offset; a drop or a gap re-offers and resumes. */
  private async transfer(rel: ControllerRelease): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (attempt > RESUMES) throw new UpdateFailed("link_lost", "the link kept failing during the transfer");
      if (!this.linkUsable()) {
        await this.waitFor(() => (this.linkUsable() ? true : null), LINK_BACK_MS, "link_lost", "the controller link did not come back");
      }
      try {
        const statusBefore = this.status;
        const ack = await this.link.command({ type: "update_offer", version: rel.version, size: rel.image.length, sha256: rel.sha256 });
        const s = await this.waitFor(
          () => (this.status !== statusBefore ? this.status : null),
          STATUS_WAIT_MS,
          "no_status",
          "the controller did not answer the offer",
        );
        if (ack.result !== AckResult.ok) throw this.failure(s.result);
        let at = s.next_offset;
        while (at < rel.image.length) {
          if (this.aborting) throw new UpdateFailed("aborted", RESULT_TEXT[UpdateResult.aborted]?.[1] ?? "cancelled");
          const data = rel.image.subarray(at, Math.min(at + CHUNK_BYTES, rel.image.length));
          const before = this.status;
          const a = await this.link.command({ type: "update_chunk", offset: at, data });
          if (a.result === AckResult.ok) {
            at += data.length;
            this.sent = at;
            if ((at / CHUNK_BYTES) % 16 === 0 || at === rel.image.length) this.changed();
            continue;
          }
          if (a.result !== AckResult.out_of_order) throw this.failure(this.status?.result ?? UpdateResult.none);
          const st = await this.waitFor(
            () => (this.status !== before ? this.status : null),
            STATUS_WAIT_MS,
            "no_status",
            "lost track of the transfer",
          );
          at = st.next_offset;
        }
        const fin = await this.link.command({ type: "update_finish", version: rel.version });
        if (fin.result === AckResult.ok) return;
        if (fin.result !== AckResult.out_of_order) throw this.failure(this.status?.result ?? UpdateResult.none);
      } catch (e) {
        if (e instanceof UpdateFailed) throw e;
        this.log("warn", `controller update: ${(e as Error).message}; resuming`);
      }
    }
  }
}
