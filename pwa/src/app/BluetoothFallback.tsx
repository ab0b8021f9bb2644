/**
 * The network path to the machine has been down a while (Wi-Fi gone, router off): offer the same
 * machine over Bluetooth — one tap, since a browser opens Bluetooth only from a tap. Shown to a
 * paired app with Web Bluetooth; the code behind the button loads on the tap.
 */
import { useEffect, useState } from "react";
import { hasWebBluetooth } from "../connection/bluetooth/has-web-bluetooth.ts";
import { credentialsFor } from "../connection/credentials.ts";
import { currentHubUrl } from "../connection/hub-address.ts";
import { useMachine } from "../connection/machine-store.ts";
import { t } from "../i18n/i18n.ts";
import { ErrorLine } from "../shared/ErrorLine.tsx";

/** How long the network may fail before Bluetooth is offered (a router restart takes longer). */
export const OFFER_BLUETOOTH_AFTER_MS = 8000;

export function BluetoothFallback() {
  const status = useMachine((s) => s.status);
  const route = useMachine((s) => s.route);
  const pairing = useMachine((s) => s.pairing);
  const [down, setDown] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reachable = status === "connected" || route === "bluetooth" || pairing === "needed";
  useEffect(() => {
    setDown(false);
    if (reachable) return;
    const timer = setTimeout(() => setDown(true), OFFER_BLUETOOTH_AFTER_MS);
    return () => clearTimeout(timer);
  }, [reachable]);
  const hubUrl = currentHubUrl();
  if (!down || !hasWebBluetooth() || !credentialsFor(hubUrl)) return null;
  return (
    <aside className="notice" aria-label={t("The machine is not answering on the network")}>
      <p>{t("The machine is not answering on the network. Near it, Bluetooth works without one.")}</p>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError(null);
          import("../connection/bluetooth/lan-fallback.ts")
            .then((m) => m.bluetoothInstead(hubUrl))
            .catch((e: Error) => setError(e.message))
            .finally(() => setBusy(false));
        }}
      >
        {t("Connect over Bluetooth")}
      </button>
      <ErrorLine text={error} />
    </aside>
  );
}
