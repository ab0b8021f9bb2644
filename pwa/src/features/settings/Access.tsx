/** @module Settings → Phones and access. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { t } from "../../i18n/i18n.ts";
import { hubApi } from "../../shared/hub-api.ts";
import { useHubSettings } from "../../shared/use-hub-settings.ts";
import { PairedApps } from "../pairing/PairedApps.tsx";
import { PairingCode } from "../pairing/PairingCode.tsx";

/** Who may reach the machine: the paired phones, pairing another, and the "open on my network" switch. */
export function Access() {
  const { settings, save, status } = useHubSettings();
  const [pairing, setPairing] = useState<"here" | "away" | null>(null);
  const remote = useQuery({ queryKey: ["remote"], queryFn: hubApi.remote, staleTime: 60_000 });
  const open = Boolean(settings?.hub.open_on_network);
  return (
    <>
      <PairedApps />
      {pairing ? (
        <PairingCode onClose={() => setPairing(null)} away={pairing === "away"} />
      ) : (
        <div className="row wrap">
          <button type="button" onClick={() => setPairing("here")}>
            {t("Pair another phone")}
          </button>
          {remote.data?.relay && (
            <button type="button" className="quiet" onClick={() => setPairing("away")}>
              {t("Invite a phone away from home")}
            </button>
          )}
        </div>
      )}
      <label className="toggle">
        <input
          type="checkbox"
          checked={open}
          disabled={!settings}
          onChange={(e) => {
            const on = e.target.checked;
            const ok =
              !on ||
              window.confirm(
                t(
                  "Open the machine to every device on this network? Anyone on your Wi-Fi — guests, a smart TV, a compromised gadget — could then turn the heater on, change settings and read your history without pairing. Web pages on other sites stay blocked either way.",
                ),
              );
            if (ok) save({ hub: { open_on_network: on } });
          }}
        />
        {t("Open on my network (no pairing needed — not recommended)")}
      </label>
      {status && (
        <span role="status" className="muted small">
          {status}
        </span>
      )}
    </>
  );
}
