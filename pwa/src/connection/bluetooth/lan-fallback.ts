/**
 * @module When the machine does not answer on the network: the same machine over Bluetooth, as the
 * same paired app (its keys; the machine checked to be the one paired), until the network answers
 * again — connect.ts looks for it every 15 s and goes back. Loaded on the tap.
 */
import { connectTo } from "../connect.ts";
import { credentialsFor } from "../credentials.ts";
import { BleHub } from "./ble-hub.ts";

export async function bluetoothInstead(hubUrl: string): Promise<void> {
  const creds = credentialsFor(hubUrl);
  if (!creds) throw new Error("this app is not paired with the machine");
  const hub = await BleHub.again(creds.deviceId);
  try {
    const info = await hub.info();
    if (info.device_id !== creds.deviceId) throw new Error(`that is ${info.name}, not the machine this app is paired with`);
    hub.remember(info.device_id);
    await hub.openChannel(creds);
  } catch (e) {
    hub.close();
    throw e;
  }
  connectTo(hubUrl, hub.transport(), "bluetooth");
}
