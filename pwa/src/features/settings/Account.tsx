/**
 * "Your account" (docs/remote.md, "Accounts"): optional sign-in at the machine's relay. Signed in,
 * this machine is listed under the account (with a claim the machine signs), and the list shows
 * every machine the account claimed, on every phone signed in to it — online or not, paired on this
 * phone or not. It never opens a machine: a phone that is not paired asks a paired one for an invite.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import {
  accountDevices,
  beginSignIn,
  claimDevice,
  finishSignIn,
  relayWebOrigin,
  type SignedIn,
  signedIn,
  signInThroughRelay,
  signOut,
  unclaimDevice,
} from "../../connection/account.ts";
import { credentialsFor } from "../../connection/credentials.ts";
import { currentHubUrl, knownMachines } from "../../connection/hub-address.ts";
import { t } from "../../i18n/i18n.ts";
import { ErrorLine } from "../../shared/ErrorLine.tsx";
import { hubApi } from "../../shared/hub-api.ts";

/** Machines this phone is paired with, by device id. */
function pairedHere(): Set<string> {
  const urls = [currentHubUrl(), ...knownMachines().map((m) => m.url)];
  return new Set(urls.flatMap((u) => credentialsFor(u)?.deviceId ?? []));
}

function Devices({ me }: { me: SignedIn }) {
  const client = useQueryClient();
  const mine = credentialsFor(currentHubUrl())?.deviceId ?? null;
  const devices = useQuery({ queryKey: ["account-devices", me.sub], queryFn: () => accountDevices(me), refetchInterval: 30_000 });
  const here = pairedHere();
  if (devices.error) return <p className="error">{(devices.error as Error).message}</p>;
  if (!devices.data) return <p className="muted">{t("Loading your machines…")}</p>;
  if (!devices.data.length) return <p className="muted">{t("No machines under this account yet.")}</p>;
  return (
    <ul className="account-devices" aria-label={t("Your machines")}>
      {devices.data.map((d) => (
        <li key={d.hub_id}>
          <strong>{d.name}</strong> <span className={d.online ? "ok" : "muted"}>{d.online ? t("online") : t("offline")}</span>
          {d.hub_id === mine ? (
            <span className="muted small"> · {t("this machine")}</span>
          ) : here.has(d.hub_id) ? (
            <span className="muted small"> · {t("paired on this phone")}</span>
          ) : (
            <p className="muted small">
              {t("Not paired on this phone. On a phone that is: Settings → Invite a phone away from home, and open the link here.")}
            </p>
          )}
          <button
            type="button"
            className="quiet"
            onClick={() => void unclaimDevice(me, d.hub_id).then(() => client.invalidateQueries({ queryKey: ["account-devices"] }))}
          >
            {t("Remove from account")}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** `relay`: the relay's web origin when known (the app opened at the relay); else the machine's relay. */
export function Account({ relay }: { relay?: string }) {
  const client = useQueryClient();
  const remote = useQuery({ queryKey: ["remote"], queryFn: hubApi.remote, staleTime: 60_000, enabled: !relay });
  const [me, setMe] = useState<SignedIn | null>(signedIn);
  const [error, setError] = useState<string | null>(null);
  const relayUrl = relay ?? remote.data?.relay?.url ?? null;

  // Back from the issuer: keep the token, then list this machine under the account.
  useEffect(() => {
    try {
      const s = finishSignIn();
      if (s) setMe(s);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    if (!me || !credentialsFor(currentHubUrl())) return;
    void hubApi
      .remoteClaim({ iss: me.iss, sub: me.sub })
      .then((c) => claimDevice(me, c.claim))
      .then(() => client.invalidateQueries({ queryKey: ["account-devices"] }))
      .catch((e: Error) => setError(e.message));
  }, [me, client]);

  if (!relayUrl) return <p className="muted">{t("Remote access is off on this machine (it has no relay).")}</p>;
  if (!me)
    return (
      <>
        <p className="muted">
          {t(
            "Optional: sign in to see your machines on every phone you sign in on. Signing in never opens a machine; each phone still pairs.",
          )}
        </p>
        <button
          type="button"
          onClick={() => {
            const relayOrigin = relayWebOrigin(relayUrl);
            // At the relay the issuer returns here; at a machine's own address, through the relay's sign-in page.
            const signing =
              relayOrigin === location.origin
                ? beginSignIn(relayOrigin, location.origin + location.pathname)
                : signInThroughRelay(relayOrigin).then(setMe);
            signing.catch((e: Error) => setError(e.message));
          }}
        >
          {t("Sign in")}
        </button>
        <ErrorLine text={error} />
      </>
    );
  return (
    <>
      <p>
        {t("Signed in as {who}.", { who: me.email ?? me.sub })}{" "}
        <button
          type="button"
          className="quiet"
          onClick={() => {
            signOut();
            setMe(null);
          }}
        >
          {t("Sign out")}
        </button>
      </p>
      <Devices me={me} />
      <ErrorLine text={error} />
    </>
  );
}
