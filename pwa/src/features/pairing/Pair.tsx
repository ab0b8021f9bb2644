/**
 * Pairing this app with the machine: opened by the QR code's link (the secret is in the link and
 * is dropped from the address bar at once), or by typing the short code the display shows; the
 * QR code can also be scanned here (camera on HTTPS, or a photo anywhere). An invite a paired
 * phone sent (docs/remote.md) opens this page at the relay: pairing then runs through the relay,
 * and the machine's first ticket lets the app in from outside at once. Shown instead of the app
 * whenever the machine does not know this app.
 */
import "./pairing.css";
import {
  ID_PATTERN,
  type KeyPair,
  keyPair,
  normaliseTypedCode,
  type PairedHub,
  type PairingOffer,
  pairWithHub,
  parsePairingLink,
  relayOrigin,
} from "@brewos/protocol/auth";
import { useEffect, useRef, useState } from "react";
import { navigate } from "../../app/router.tsx";
import { connectTo } from "../../connection/connect.ts";
import { saveCredentials } from "../../connection/credentials.ts";
import { currentHubUrl, FALLBACK_HUB, rememberMachine } from "../../connection/hub-address.ts";
import { useMachine } from "../../connection/machine-store.ts";
import { saveRemoteTicket } from "../../connection/remote-ticket.ts";
import { t } from "../../i18n/i18n.ts";
import { ErrorLine } from "../../shared/ErrorLine.tsx";
import { hubApi } from "../../shared/hub-api.ts";
import { Account } from "../settings/Account.tsx";
import { cameraAvailable, readQr, readQrFromFile } from "./qr.ts";

/** A name people recognise in the machine's list ("Android phone", "iPhone", …). */
export function guessDeviceName(ua: string): string {
  if (/iPhone/.test(ua)) return "iPhone";
  if (/iPad/.test(ua)) return "iPad";
  if (/Android/.test(ua)) return /Mobile/.test(ua) ? t("Android phone") : t("Android tablet");
  if (/Mac OS X/.test(ua)) return "Mac";
  if (/Windows/.test(ua)) return t("Windows PC");
  if (/CrOS/.test(ua)) return "Chromebook";
  return t("Browser");
}

/**
 * The offer in this page's address (the QR link), read once; the secret is then removed from the
 * address bar. `moving`: the app id this browser had at the machine's plain-HTTP address, when it
 * moves its pairing to the secure one (docs/lan-https.md); that pairing is removed once this one works.
 */
function offerInAddress(): (PairingOffer & { moving: string | null }) | null {
  if (location.pathname !== "/pair" || !location.hash) return null;
  const f = new URLSearchParams(location.hash.slice(1));
  if (!f.has("s")) return null; // not a pairing link (a sign-in's answer, say: that is read elsewhere)
  const o = parsePairingLink(location.href);
  const moving = f.get("m");
  history.replaceState(null, "", "/pair");
  return o ? { ...o, moving: moving && ID_PATTERN.test(moving) ? moving : null } : null;
}

/** This page is served by a relay that offers sign-in: its origin, else null. */
function useRelayHere(): string | null {
  const [relay, setRelay] = useState<string | null>(null);
  useEffect(() => {
    fetch("/api/account/sign-in").then(
      (r) => r.ok && setRelay(location.origin),
      () => undefined,
    );
  }, []);
  return relay;
}

function Scanner({ onText, onError }: { onText: (t: string) => void; onError: (m: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    let stream: MediaStream | null = null;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const tick = async () => {
      if (stopped || !video.current) return;
      const text = await readQr(video.current).catch(() => null);
      if (text) onText(text);
      else timer = setTimeout(() => void tick(), 300);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(async (s) => {
        stream = s;
        if (!video.current || stopped) return;
        video.current.srcObject = s;
        await video.current.play();
        void tick();
      })
      .catch((e: Error) => onError(t("The camera could not start: {why}", { why: e.message })));
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const t of stream?.getTracks() ?? []) t.stop();
    };
  }, [onText, onError]);
  return <video ref={video} className="qr-scanner" muted playsInline aria-label={t("Camera view for the QR code")} />;
}

export default function Pair() {
  const [offer] = useState(offerInAddress);
  const relayHere = useRelayHere();
  const detail = useMachine((m) => m.pairingDetail);
  const [name, setName] = useState(() => guessDeviceName(navigator.userAgent));
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [scanning, setScanning] = useState(false);

  const paired = (hubUrl: string, keys: KeyPair, r: PairedHub) => {
    saveCredentials(hubUrl, { keys, appId: r.appId, deviceId: r.deviceId, hubPublicKey: r.hubPublicKey });
    if (hubUrl !== currentHubUrl()) rememberMachine({ url: hubUrl, name: "BrewOS" });
    useMachine.setState({ pairing: "unknown", pairingDetail: null });
    connectTo(hubUrl);
    navigate("/", true);
  };

  /** Runs one pairing attempt; whether it worked. */
  const attempt = async (run: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await run();
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const pair = (hubUrl: string, secret: string, via: "typed" | "qr", expectHubKey?: Uint8Array) =>
    attempt(async () => {
      const keys = keyPair();
      const r = await pairWithHub({
        base: hubUrl,
        keys,
        name: name.trim() || t("Phone"),
        secret,
        via,
        ...(expectHubKey ? { expectHubKey } : {}),
      });
      paired(hubUrl, keys, r);
    });

  /** An invite opened away from home: pair through the relay, keep the machine's first ticket. */
  const pairAway = (o: PairingOffer & { relayUrl: string }) =>
    attempt(async () => {
      const { openPairingSession } = await import("@brewos/protocol/relay/pairing-session");
      const session = await openPairingSession(o.relayUrl, o.deviceId);
      try {
        const keys = keyPair();
        const r = await pairWithHub({
          base: "",
          fetch: session.fetch,
          keys,
          name: name.trim() || t("Phone"),
          secret: o.secret,
          via: "qr",
          expectHubKey: o.hubPublicKey,
        });
        const ticket = await session.ticket;
        // The machine is known by its address at home; away, the ticket takes the app there.
        const hubUrl = o.bases[0] ?? FALLBACK_HUB;
        saveRemoteTicket(hubUrl, {
          relay_url: ticket.relay_url,
          ticket: ticket.ticket,
          hub_id: ticket.hub_id,
          exp_ms: ticket.exp_ms,
          got_ms: Date.now(),
        });
        paired(hubUrl, keys, r);
      } finally {
        session.close();
      }
    });

  const awayOffer = (o: PairingOffer | null): (PairingOffer & { relayUrl: string }) | null =>
    o?.relayUrl && relayOrigin(o.relayUrl) === location.origin && !o.bases.includes(location.origin)
      ? { ...o, relayUrl: o.relayUrl }
      : null;

  const scanned = (text: string) => {
    setScanning(false);
    const o = parsePairingLink(text);
    if (!o) return setError(t("That QR code is not a BrewOS pairing code."));
    // The hub answers only its own pages: pair here if this page is on it, else open the link there.
    if (o.bases.includes(location.origin)) return void pair(location.origin, o.secret, "qr", o.hubPublicKey);
    const away = awayOffer(o);
    if (away) return void pairAway(away);
    location.assign(text);
  };

  const away = awayOffer(offer);
  const fromLink = (offer?.bases.includes(location.origin) ?? false) || away !== null;
  return (
    <section className="pair" aria-labelledby="pair-title">
      <h1 id="pair-title">{t("Pair with your machine")}</h1>
      {detail && <p className="notice">{detail}</p>}
      <p>
        {t("Only phones and browsers you pair can see or control the machine.")}{" "}
        {away
          ? t("This invite came from a phone already paired with the machine; pairing goes through the relay, so it works away from home.")
          : fromLink
            ? t("This link came from the machine's QR code.")
            : t("On the machine's display, tap “Pair a phone”.")}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (away) return void pairAway(away);
          if (fromLink && offer)
            return void pair(location.origin, offer.secret, "qr", offer.hubPublicKey).then((ok) => {
              // Moved here from the plain address: once paired here, the old pairing is not needed.
              if (ok && offer.moving) void hubApi.revokeApp(offer.moving).catch(() => {});
            });
          const code = normaliseTypedCode(typed);
          if (!code) return setError(t("The code has 8 letters and digits, like 7KQ2-M9XD."));
          void pair(currentHubUrl(), code, "typed");
        }}
      >
        <label>
          {t("Name this phone (shown on the machine)")}
          <input value={name} maxLength={60} required onChange={(e) => setName(e.target.value)} />
        </label>
        {!fromLink && (
          <label>
            {t("Code on the machine's display")}
            <input
              value={typed}
              autoComplete="one-time-code"
              autoCapitalize="characters"
              spellCheck={false}
              placeholder="7KQ2-M9XD"
              onChange={(e) => setTyped(e.target.value)}
            />
          </label>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t("Pairing…") : t("Pair")}
        </button>
      </form>
      {!fromLink && (
        <div className="row wrap">
          {cameraAvailable() && (
            <button type="button" className="quiet" onClick={() => setScanning((s) => !s)}>
              {scanning ? t("Stop the camera") : t("Scan the QR code")}
            </button>
          )}
          <label className="file">
            {t("Use a photo of the QR code")}
            <input
              type="file"
              accept="image/*"
              onChange={async (e) => {
                const f = e.target.files?.[0];
                e.target.value = "";
                if (!f) return;
                const text = await readQrFromFile(f).catch(() => null);
                if (text) scanned(text);
                else setError(t("No QR code found in that picture; try again closer, or type the code."));
              }}
            />
          </label>
        </div>
      )}
      {scanning && <Scanner onText={scanned} onError={setError} />}
      <ErrorLine text={error} />
      {relayHere && (
        <section className="card" aria-label={t("Your account")}>
          <h2>{t("Your account")}</h2>
          <Account relay={relayHere} />
        </section>
      )}
    </section>
  );
}
