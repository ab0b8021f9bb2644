/**
 * @module The scale paired with this phone (Web Bluetooth), kept by the shared connection manager:
 * live weight, battery, stale, tare — for the scale screen and for shots logged by hand — and, when
 * the owner lets it, lent to the hub for brew-by-weight by the shared lender (readings forwarded
 * about every 100 ms with their age; zeroed when the hub asks before a shot).
 */
import { PHONE_SCALE_SEND_EVERY_MS } from "@brewos/protocol/api/phone-scale";
import { PhoneScaleLender } from "@brewos/protocol/api/phone-scale-lender";
import {
  type Clock,
  type FoundScale,
  familyFor,
  ScaleManager,
  type ScaleStatus,
  type ScaleTransport,
  type WeightReading,
} from "@brewos/protocol/scales";
import { create } from "zustand";
import { useMachine } from "../../connection/machine-store.ts";
import { hearPhoneScale } from "../../connection/phone-scale-channel.ts";
import { type BtApi, webBluetoothTransport } from "./web-bluetooth.ts";

const LEND_KEY = "brewos.lend-phone-scale";

interface PhoneScale {
  status: ScaleStatus | null;
  weight_g: number | null;
  message: string | null;
  manager: ScaleManager | null;
  /** Lend it to the hub for brew-by-weight (the owner's choice, kept on this phone). */
  lend: boolean;
  /** The hub said it will not use it (another phone's scale is in use). */
  refused: string | null;
}

export const usePhoneScale = create<PhoneScale>(() => ({
  status: null,
  weight_g: null,
  message: null,
  manager: null,
  lend: localStorage.getItem(LEND_KEY) !== "no",
  refused: null,
}));

const lender = new PhoneScaleLender({
  send: (m) => {
    const s = useMachine.getState();
    return s.status === "connected" && (s.client?.send(m) ?? false);
  },
  onRefused: (refused) => usePhoneScale.setState({ refused }),
});
lender.setLending(usePhoneScale.getState().lend);
/** The lender's send loop and the hub's messages, started with the first scale this phone holds. */
let lending = false;

/** Every reading, for whoever records a shot by hand (its weight curve). */
const weightListeners = new Set<(w: WeightReading) => void>();
export function onPhoneWeight(listener: (w: WeightReading) => void): () => void {
  weightListeners.add(listener);
  return () => weightListeners.delete(listener);
}

/** Ask the browser for a scale (its chooser), then keep it connected. */
export async function connectPhoneScale(bt: BtApi): Promise<void> {
  const transport = webBluetoothTransport(bt);
  let found: FoundScale | null = null;
  try {
    found = await transport.choose();
  } catch (e) {
    usePhoneScale.setState({ message: (e as Error).message });
    return;
  }
  const family = familyFor(found?.name);
  if (!found || !family) {
    usePhoneScale.setState({ message: "BrewOS does not know that scale's protocol" });
    return;
  }
  await holdPhoneScale(transport, { ...found, family: family.id });
}

/** Keep this scale connected on this phone (over any transport; `clock` for tests). */
export async function holdPhoneScale(transport: ScaleTransport, scale: FoundScale & { family: string }, clock?: Clock): Promise<void> {
  await usePhoneScale.getState().manager?.stop();
  const manager = new ScaleManager({
    transport,
    ...(clock ? { clock } : {}),
    onStatus: (status) => usePhoneScale.setState({ status }),
    onWeight: (w) => {
      usePhoneScale.setState({ weight_g: w.grams });
      lender.reading(w);
      for (const l of weightListeners) l(w);
    },
  });
  usePhoneScale.setState({ manager, message: null, refused: null });
  manager.start();
  manager.pair(scale);
  lender.use(manager);
  if (!lending) {
    lending = true;
    setInterval(() => lender.tick(), PHONE_SCALE_SEND_EVERY_MS);
    hearPhoneScale((m) => void lender.receive(m));
  }
}

export async function forgetPhoneScale(): Promise<void> {
  const m = usePhoneScale.getState().manager;
  usePhoneScale.setState({ manager: null, status: null, weight_g: null, refused: null });
  lender.use(null); // tells the hub at once
  await m?.stop();
}

export function setLending(lend: boolean): void {
  localStorage.setItem(LEND_KEY, lend ? "yes" : "no");
  usePhoneScale.setState({ lend, refused: null });
  lender.setLending(lend);
}
