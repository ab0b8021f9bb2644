/**
 * @module What the hub needs of "the scale", whoever provides it: the simulator's virtual Decent
 * Scale (ScaleConnection) or a real Bluetooth scale kept by the shared connection manager
 * (ManagedScale). Brew-by-weight, the API and MQTT use only this.
 */
import type { RememberedScale } from "@brewos/protocol/scales";
import { ScaleModel } from "@brewos/protocol/uart";
import type { ScaleReading } from "./decent-scale.ts";
import type { ScaleHealth } from "./scale-connection.ts";

/** A scale that is connected and streaming. */
export interface ConnectedScale {
  /** The controller's scale_model (its lag table). */
  readonly model: number;
  /** Measurement lag, ms. */
  readonly lagMs: number;
  /** Zero it; true once it read zero. */
  tare(): Promise<boolean>;
}

export type TareAnswer = { ok: true } | { ok: false; code: "no_scale" | "no_answer"; message: string };

/** A scale kept by the connection manager can be found, paired and forgotten by the owner. */
export interface PairableScale {
  discover(seconds: number): Promise<{ id: string; name: string | null; family: string; rssi?: number }[]>;
  /** Pair one the last discovery found; false when it found no such scale. */
  pair(id: string): boolean;
  forget(id: string): void;
  remembered(): RememberedScale[];
  setRemembered(list: RememberedScale[]): void;
  onRememberedChange(listener: (list: RememberedScale[]) => void): void;
  /** Battery and whether its weight is stale, for the app's scale screen. */
  detail(): { state: string; stale: boolean; battery_pct: number | null; family: string | null; name: string | null };
}

export const isPairable = (s: unknown): s is PairableScale =>
  typeof s === "object" &&
  s !== null &&
  typeof (s as PairableScale).discover === "function" &&
  typeof (s as PairableScale).pair === "function";

export interface ScaleSource {
  /** The scale while it streams; null when none is connected or its weight went stale. */
  readonly current: ConnectedScale | null;
  onReading(listener: (r: ScaleReading) => void): () => void;
  /** Fires with the scale when it becomes usable and with null when it stops being so. */
  onChange(listener: (d: ConnectedScale | null) => void): () => void;
  health(): ScaleHealth;
  tare(): Promise<TareAnswer>;
  start(): void;
  stop(): Promise<void>;
}

/** Families the controller has its own lag-table entry for; the rest are `generic` with their lag sent. */
const MODELS: Record<string, number> = {
  acaia: ScaleModel.acaia,
  "acaia-umbra": ScaleModel.acaia,
  decent: ScaleModel.decent,
  felicita: ScaleModel.felicita,
  bookoo: ScaleModel.bookoo,
  hiroia: ScaleModel.hiroia,
  skale: ScaleModel.skale,
};

/** The controller's scale_model for a scale family (protocol/scales id). */
export const scaleModelFor = (family: string): number => MODELS[family] ?? ScaleModel.generic;
