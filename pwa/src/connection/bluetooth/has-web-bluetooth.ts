/** Whether this browser can reach a machine over Bluetooth (Chrome on Android and desktop; no iPhone). */
export const hasWebBluetooth = (): boolean => typeof navigator !== "undefined" && "bluetooth" in navigator;
