/**
 * Browsers only allow the service worker (offline use), installing and Bluetooth on secure pages:
 * HTTPS, or localhost. On plain HTTP across the LAN say so, and how to fix it, instead of failing quietly.
 */
import { useState } from "react";
import { t } from "../i18n/i18n.ts";

export function SecureContextNotice() {
  const [hidden, setHidden] = useState(() => sessionStorage.getItem("brewos.insecure-ok") === "1");
  if (window.isSecureContext || hidden) return null;
  return (
    <aside className="notice" aria-label={t("Limited features on this connection")}>
      <p>
        <strong>{t("Offline use, installing and Bluetooth are off on this page")}</strong>
        {t(
          ", because it was opened over plain HTTP. Turn on HTTPS: give the hub a certificate (its settings {cert} and {key}, or {flags} when it starts; see the README) and open {address}, or use the app on the hub itself at {localhost}.",
          {
            cert: "https.cert_path",
            key: "https.key_path",
            flags: "--tls-cert / --tls-key",
            address: `https://${location.host}`,
            localhost: "localhost",
          },
        )}
      </p>
      <button
        type="button"
        onClick={() => {
          sessionStorage.setItem("brewos.insecure-ok", "1");
          setHidden(true);
        }}
      >
        {t("Got it")}
      </button>
    </aside>
  );
}
