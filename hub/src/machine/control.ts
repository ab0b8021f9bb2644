/**
 * @module What the hub asks the machine to do: the desired state it streams (mode, setpoints,
 * strategy, eco) and the shots it starts. Turns people's commands (°C, grams, seconds) into
 * protocol messages, and the controller's ack results into answers a person can act on.
 */
import { type AckMessage, AckResult, DesiredFlags, HeatingStrategy, MachineMode } from "@brewos/protocol/uart";
import { type ApiCommand, parseCommand } from "../api/commands.ts";
import type { ControllerLink, DesiredState } from "../controller-link/controller-link.ts";
import { LinkError } from "../controller-link/controller-link.ts";
import { enumNamer } from "./enum-names.ts";

export type CommandOutcome = { ok: true; detail?: Record<string, unknown> } | { ok: false; code: string; message: string };

/** What the owner asked for, in people's units (the desired state the hub streams). */
export interface DesiredView {
  mode: "standby" | "brew" | "steam";
  brew_target_c: number;
  steam_target_c: number;
  heating_strategy: keyof typeof HeatingStrategy;
  eco: boolean;
}

export interface ShotIntent {
  profile_slot: number;
  dose_g: number | null;
  target_g: number | null;
  /** A group flush: the pump runs, nothing is recorded. */
  flush?: boolean;
}

const ackName = enumNamer(AckResult);

const ACK_MESSAGES: Record<string, string> = {
  invalid_field: "a value is outside what the machine accepts",
  rejected_state: "the machine cannot do that in its current state",
  busy: "the machine is busy with something else; try again when it finishes",
  unsupported: "this machine does not support that",
  version_mismatch: "the controller firmware and this hub speak different protocol versions: update one of them",
  not_ready: "the machine is not ready yet",
  failed: "the machine tried and failed",
  out_of_order: "the machine received the pieces out of order; send it again",
  rate_limited: "asked again too soon; wait a moment and try again",
};

export function fromAck(a: AckMessage, what: string): CommandOutcome {
  if (a.result === AckResult.ok) return { ok: true };
  const code = String(ackName(a.result));
  return { ok: false, code, message: `${what}: ${ACK_MESSAGES[code] ?? code} (detail ${a.detail})` };
}

export class MachineControl {
  private desired: DesiredState = {
    mode: MachineMode.standby,
    flags: 0,
    brew_setpoint_cdeg: 9300,
    steam_setpoint_cdeg: 12500,
    heating_strategy: HeatingStrategy.sequential,
  };
  private nextToken = (Date.now() & 0x3fffffff) >>> 0; // top bit is the controller's (lever shots)
  private readonly intents = new Map<number, ShotIntent>();
  private readonly commandListeners = new Set<(c: ApiCommand) => void>();
  private readonly desiredListeners = new Set<(d: DesiredView) => void>();

  /**
   * `beforeShot` runs before each shot start (the scale bridge tares the scale there);
   * `slotFor` puts a profile (by id) into a controller slot and says which.
   */
  constructor(
    private readonly link: ControllerLink,
    private readonly beforeShot: () => Promise<void> = async () => {},
    private readonly slotFor: (
      profileId: string,
    ) => Promise<{ ok: true; slot: number } | { ok: false; code: string; message: string }> = async (id) => ({
      ok: false,
      code: "not_found",
      message: `no profile "${id}"`,
    }),
  ) {}

  /**
   * The controller latched a safety trip: ask for standby from now on, so that clearing the trip
   * never resumes heating by itself — the owner turns the machine on again (a fresh command).
   */
  standbyAfterTrip(): void {
    this.setMode(MachineMode.standby);
    this.announce();
  }

  /** Called with the whole desired state now and whenever the owner's choice changes (the app shows it). */
  onDesired(listener: (d: DesiredView) => void): () => void {
    this.desiredListeners.add(listener);
    listener(this.desiredView());
    return () => this.desiredListeners.delete(listener);
  }

  /**
   * Take back what the owner chose before a restart (targets, strategy, eco) — never the mode: a
   * restarted hub asks for standby until someone turns the machine on.
   */
  restore(saved: Partial<DesiredView>): void {
    const setpoints = parseCommand({ type: "set_setpoints", brew_c: saved.brew_target_c, steam_c: saved.steam_target_c });
    if (setpoints.ok && setpoints.value.type === "set_setpoints") {
      if (setpoints.value.brew_c !== undefined) this.desired.brew_setpoint_cdeg = Math.round(setpoints.value.brew_c * 100);
      if (setpoints.value.steam_c !== undefined) this.desired.steam_setpoint_cdeg = Math.round(setpoints.value.steam_c * 100);
    }
    const strategy = parseCommand({ type: "set_heating_strategy", strategy: saved.heating_strategy });
    if (strategy.ok && strategy.value.type === "set_heating_strategy")
      this.desired.heating_strategy = HeatingStrategy[strategy.value.strategy];
    if (saved.eco === true) this.desired.flags |= DesiredFlags.eco;
    this.announce();
  }

  desiredView(): DesiredView {
    const d = this.desired;
    const mode = (Object.keys(MachineMode) as (keyof typeof MachineMode)[]).find((k) => MachineMode[k] === d.mode);
    const strategy = (Object.keys(HeatingStrategy) as (keyof typeof HeatingStrategy)[]).find(
      (k) => HeatingStrategy[k] === d.heating_strategy,
    );
    return {
      mode: mode === "brew" || mode === "steam" ? mode : "standby",
      brew_target_c: d.brew_setpoint_cdeg / 100,
      steam_target_c: d.steam_setpoint_cdeg / 100,
      heating_strategy: strategy ?? "sequential",
      eco: (d.flags & DesiredFlags.eco) !== 0,
    };
  }

  private announce(): void {
    const v = this.desiredView();
    for (const l of this.desiredListeners) l(v);
  }

  private setMode(mode: MachineMode): void {
    this.desired.mode = mode;
  }

  /** The desired state to stream now (the link reads it every keepalive). */
  current(): DesiredState {
    return { ...this.desired };
  }

  /** What was asked for with a shot token, for the recorder. */
  intentFor(token: number): ShotIntent | null {
    return this.intents.get(token) ?? null;
  }

  /** Called for every command run (the auto power-off clock listens). */
  onCommand(listener: (c: ApiCommand) => void): () => void {
    this.commandListeners.add(listener);
    return () => this.commandListeners.delete(listener);
  }

  async run(c: ApiCommand): Promise<CommandOutcome> {
    for (const l of this.commandListeners) l(c);
    try {
      return await this.execute(c);
    } finally {
      this.announce();
    }
  }

  private async execute(c: ApiCommand): Promise<CommandOutcome> {
    try {
      switch (c.type) {
        case "set_mode":
          this.setMode(MachineMode[c.mode]);
          return { ok: true };
        case "set_setpoints":
          if (c.brew_c !== undefined) this.desired.brew_setpoint_cdeg = Math.round(c.brew_c * 100);
          if (c.steam_c !== undefined) this.desired.steam_setpoint_cdeg = Math.round(c.steam_c * 100);
          return { ok: true };
        case "set_heating_strategy":
          this.desired.heating_strategy = HeatingStrategy[c.strategy];
          return { ok: true };
        case "set_eco":
          this.desired.flags = c.on ? this.desired.flags | DesiredFlags.eco : this.desired.flags & ~DesiredFlags.eco;
          return { ok: true };
        case "start_shot": {
          let slot = c.profile_slot;
          if (c.profile_id !== undefined) {
            const r = await this.slotFor(c.profile_id);
            if (!r.ok) return r;
            slot = r.slot;
          }
          await this.beforeShot();
          const token = this.nextToken;
          this.nextToken = (this.nextToken + 1) & 0x7fffffff;
          this.intents.set(token, { profile_slot: slot, dose_g: c.dose_g ?? null, target_g: c.target_g ?? null });
          if (this.intents.size > 64) this.intents.delete(this.intents.keys().next().value as number);
          const ack = await this.link.command({
            type: "shot_start",
            shot_token: token,
            profile_slot: slot,
            flags: c.require_scale ? 1 : 0,
            dose_dg: Math.round((c.dose_g ?? 0) * 10),
            target_weight_dg: Math.round((c.target_g ?? 0) * 10),
            stop_time_ms: Math.round((c.stop_time_s ?? 0) * 1000),
            stop_volume_ul: Math.round((c.stop_volume_ml ?? 0) * 1000),
          });
          const out = fromAck(ack, "start shot");
          return out.ok ? { ok: true, detail: { shot_token: token } } : out;
        }
        case "flush": {
          const token = this.nextToken;
          this.nextToken = (this.nextToken + 1) & 0x7fffffff;
          this.intents.set(token, { profile_slot: 0, dose_g: null, target_g: null, flush: true });
          const ack = await this.link.command({
            type: "shot_start",
            shot_token: token,
            profile_slot: 0,
            flags: 0,
            dose_dg: 0,
            target_weight_dg: 0,
            stop_time_ms: Math.round(c.seconds * 1000),
            stop_volume_ul: 0,
          });
          const out = fromAck(ack, "flush");
          return out.ok ? { ok: true, detail: { shot_token: token } } : out;
        }
        case "stop_shot":
          return fromAck(await this.link.command({ type: "shot_stop", shot_token: 0 }), "stop shot");
        case "clear_fault":
          return fromAck(await this.link.command({ type: "fault_clear", code: 0 }), "clear fault");
        case "start_autotune": {
          // Tune around the setpoint the boiler runs at, so the gains fit how it is used.
          const brew = c.boiler === "brew";
          const ack = await this.link.command({
            type: "autotune_start",
            boiler: brew ? 0 : 1,
            setpoint_cdeg: brew ? this.desired.brew_setpoint_cdeg : this.desired.steam_setpoint_cdeg,
            amplitude_pmil: Math.round(c.amplitude_pct * 10),
          });
          return fromAck(ack, `autotune of the ${c.boiler} boiler`);
        }
      }
    } catch (e) {
      if (e instanceof LinkError) return { ok: false, code: e.code, message: e.message };
      throw e;
    }
  }
}
