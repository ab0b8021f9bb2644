/**
 * @module The scale paired with this phone (Web Bluetooth), kept by the shared connection manager:
 * live weight, battery, stale, tare — for the scale screen and for shots logged by hand.
 */
import { type FoundScale, familyFor, ScaleManager, type ScaleStatus } from "@brewos/protocol/scales";
import { create } from "zustand";
import { type BtApi, webBluetoothTransport } from "./web-bluetooth.ts";

interface PhoneScale {
  status: ScaleStatus | null;
  weight_g: number | null;
  message: string | null;
  manager: ScaleManager | null;
}

export const usePhoneScale = create<PhoneScale>(() => ({ status: null, weight_g: null, message: null, manager: null }));

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
  await usePhoneScale.getState().manager?.stop();
  const manager = new ScaleManager({
    transport,
    onStatus: (status) => usePhoneScale.setState({ status }),
    onWeight: (w) => usePhoneScale.setState({ weight_g: w.grams }),
  });
  usePhoneScale.setState({ manager, message: null });
  manager.start();
  manager.pair({ ...found, family: family.id });
}

export async function forgetPhoneScale(): Promise<void> {
  const m = usePhoneScale.getState().manager;
  usePhoneScale.setState({ manager: null, status: null, weight_g: null });
  await m?.stop();
}
