/**
 * "HTTPS at home" (docs/lan-https.md): the machine's trusted address on the home network, its
 * certificate's name and dates, and — when the name does not resolve here (a router blocking
 * private answers for public names: DNS-rebinding protection) — the exact steps to allow it.
 * This phone checks for itself too: a page on plain HTTP tries the secure address once.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { t } from "../../i18n/i18n.ts";
import { hubApi } from "../../shared/hub-api.ts";

type Reach = "unknown" | "ok" | "unreachable";

/** Whether this phone reaches `origin` (no-cors: only the network's answer matters, not the body). */
function useReach(origin: string | null): Reach {
  const [reach, setReach] = useState<Reach>("unknown");
  useEffect(() => {
    if (!origin || location.origin === origin) return;
    let live = true;
    fetch(`${origin}/api/info`, { mode: "no-cors", signal: AbortSignal.timeout(4000) }).then(
      () => live && setReach("ok"),
      () => live && setReach("unreachable"),
    );
    return () => {
      live = false;
    };
  }, [origin]);
  return origin && location.origin === origin ? "ok" : reach;
}

const day = (ms?: number | null) => (ms ? new Date(ms).toLocaleDateString() : "—");

export function LanHttps() {
  const q = useQuery({ queryKey: ["lan-https"], queryFn: hubApi.lanHttps, staleTime: 60_000 });
  const s = q.data;
  const reach = useReach(s?.name_check === "ok" ? (s.origin ?? null) : null);
  if (!s || s.state === "off")
    return <p className="muted">{t("Off: the machine gets a trusted address at home through its relay, when remote access is set up.")}</p>;
  const zone = s.zone ?? "";
  const blocked = s.name_check === "rebinding_suspected" || reach === "unreachable";
  return (
    <div className="lan-https">
      {s.state === "valid" && s.origin ? (
        <p>
          {t("Secure address:")} <a href={s.origin}>{s.origin.replace(/^https:\/\//, "")}</a>
        </p>
      ) : s.state === "issuing" || s.state === "waiting_for_relay" ? (
        <p className="muted">{t("Getting a certificate…")}</p>
      ) : (
        <p className="error">{t("No certificate yet: {why}", { why: s.last_error ?? t("unknown reason") })}</p>
      )}
      {s.name && (
        <p className="muted small">
          {t("Certificate {name}, valid until {until}; renews by itself around {renew}.", {
            name: s.name,
            until: day(s.not_after_ms),
            renew: day(s.renew_at_ms),
          })}
        </p>
      )}
      {s.state === "valid" && !blocked && s.name_check === "ok" && (
        <p className="muted small">{t("Browsers on your network are sent there: the app installs from it and works offline.")}</p>
      )}
      {blocked && (
        <div className="notice" role="status">
          <p>
            <strong>{t("Your router hides this address.")}</strong>{" "}
            {t(
              "Many routers drop DNS answers that point a public name at a home address (DNS-rebinding protection). Allow the name {zone} in yours:",
              { zone },
            )}
          </p>
          <ul>
            <li>
              {t("dnsmasq, Pi-hole, OpenWrt: add")} <code>rebind-domain-ok=/{zone}/</code>{" "}
              {t("(OpenWrt: Network → DHCP and DNS → Filter → Domain whitelist).")}
            </li>
            <li>
              {t("pfSense, OPNsense (Unbound): Services → DNS Resolver → Custom options:")} <code>private-domain: "{zone}"</code>
            </li>
            <li>{t("FRITZ!Box: Home Network → Network → Network Settings → DNS Rebind Protection: add {zone}.", { zone })}</li>
          </ul>
          <p className="muted small">{t("Until then the app keeps working at this address and through the relay.")}</p>
        </div>
      )}
    </div>
  );
}
