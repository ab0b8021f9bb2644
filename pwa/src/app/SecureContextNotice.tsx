/**
 * Browsers only allow the service worker (offline use), installing and Bluetooth on secure pages:
 * HTTPS, or localhost. On plain HTTP across the LAN say so, and how to fix it, instead of failing quietly.
 */
import { useState } from "react";

export function SecureContextNotice() {
  const [hidden, setHidden] = useState(() => sessionStorage.getItem("brewos.insecure-ok") === "1");
  if (window.isSecureContext || hidden) return null;
  return (
    <aside className="notice" aria-label="Limited features on this connection">
      <p>
        <strong>Offline use, installing and Bluetooth are off on this page</strong>, because it was opened over plain HTTP. Turn on HTTPS:
        give the hub a certificate (its settings <code>https.cert_path</code> and <code>https.key_path</code>, or <code>--tls-cert</code>{" "}
        and <code>--tls-key</code> when it starts; see the README) and open <code>https://{location.host}</code>, or use the app on the hub
        itself at <code>localhost</code>.
      </p>
      <button
        type="button"
        onClick={() => {
          sessionStorage.setItem("brewos.insecure-ok", "1");
          setHidden(true);
        }}
      >
        Got it
      </button>
    </aside>
  );
}
