/**
 * @module Starts (or switches) the live connection to a hub and wires it to the machine store and,
 * in the tab that leads sync for this install (Web Locks), to the sync engine. The engine (and
 * IndexedDB) load after the first screen, so the dashboard's JavaScript stays small.
 */
import { wsAuthAnswer } from "@brewos/protocol/auth";
import type { SyncEngine } from "../data/sync-engine.ts";
import { HubError, hubFetch, restThroughSocket, whenUnpaired } from "../shared/hub-api.ts";
import { credentialsFor, forgetCredentials } from "./credentials.ts";
import { HubClient } from "./hub-client.ts";
import { loadLastState } from "./last-state.ts";
import { applySnapshot, setLastShot, setNextShot, setStatus, showCached, useMachine } from "./machine-store.ts";
import { deliverPhoneScale } from "./phone-scale-channel.ts";
import { forgetRemoteTicket, remoteTicketFor, saveRemoteTicket, ticketWantsRenewal } from "./remote-ticket.ts";
import { type HubTransport, lanOrRelayTransport, type Route } from "./transport.ts";

let client: HubClient | null = null;
let leader = false;
let connected = false;
let engine: Promise<SyncEngine> | null = null;

/** This install's sync engine (loaded on first use). */
export function getSync(): Promise<SyncEngine> {
  engine ??= Promise.all([import("../data/db.ts"), import("../data/sync-engine.ts")]).then(([{ db }, { SyncEngine }]) => {
    const e = new SyncEngine(db, (m) => client?.send(m) ?? false);
    e.onStatus((s, detail) => useMachine.setState({ syncStatus: s, syncDetail: detail ?? null }));
    return e;
  });
  return engine;
}

/** One tab per install syncs; the lock passes to another tab when this one closes. */
function leadSync(): void {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  const become = () => {
    leader = true;
    if (connected) void getSync().then((e) => e.connectedToHub());
  };
  if (!locks) {
    become();
    return;
  }
  void locks.request("brewos-sync-leader", () => {
    become();
    return new Promise<void>(() => {}); // held for the life of this tab
  });
}
if (typeof window !== "undefined") leadSync();

/** The hub refused this app: forget a key it no longer knows, and show the pairing screen. */
function unpaired(hubUrl: string, reason: string, revoked: boolean): void {
  if (revoked || credentialsFor(hubUrl)) forgetCredentials(hubUrl);
  useMachine.setState({
    pairing: "needed",
    pairingDetail: revoked ? "This app was removed from the machine. Pair it again to use it." : reason,
  });
}

/** At home first, else through the relay with this app's ticket (its code loads only then). */
function homeOrAway(hubUrl: string): HubTransport {
  return lanOrRelayTransport(hubUrl, {
    onRoute: (route: Route) => useMachine.setState({ route }),
    remote: async () => {
      const ticket = remoteTicketFor(hubUrl);
      const creds = credentialsFor(hubUrl);
      if (!ticket || !creds) return null;
      const { openRelaySocket } = await import("./relay-transport.ts");
      return {
        describe: `${ticket.relay_url} (relay)`,
        open: (events) => openRelaySocket(ticket, creds, events, () => forgetRemoteTicket(hubUrl)),
      };
    },
  });
}

/** While connected, keep a ticket for the relay (when the machine has remote access on). */
async function keepTicket(hubUrl: string): Promise<void> {
  if (!credentialsFor(hubUrl) || !ticketWantsRenewal(remoteTicketFor(hubUrl))) return;
  try {
    const t = await hubFetch<{ relay_url: string; ticket: string; hub_id: string; exp_ms: number }>("/api/remote/ticket", {
      method: "POST",
      body: "{}",
    });
    saveRemoteTicket(hubUrl, { relay_url: t.relay_url, ticket: t.ticket, hub_id: t.hub_id, exp_ms: t.exp_ms, got_ms: Date.now() });
  } catch (e) {
    if (e instanceof HubError && e.code === "no_relay") forgetRemoteTicket(hubUrl);
  }
}

/** Away (the relay, or Bluetooth while the network was down), how often to look whether the
 * machine answers at home again (then the app goes back to it). */
const HOME_PROBE_MS = 15_000;
let homeProbe: ReturnType<typeof setInterval> | null = null;

function probeHome(hubUrl: string): void {
  if (homeProbe) clearInterval(homeProbe);
  homeProbe = setInterval(() => {
    const away = () => {
      const route = useMachine.getState().route;
      return route === "relay" || route === "bluetooth";
    };
    if (!away() || !/^https?:/.test(hubUrl)) return;
    void fetch(`${hubUrl}/api/info`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => {
        if (r.ok && away()) connectTo(hubUrl);
      },
      () => undefined,
    );
  }, HOME_PROBE_MS);
}

export function connectTo(hubUrl: string, transport: HubTransport = homeOrAway(hubUrl), route: Route | null = null): HubClient {
  useMachine.getState().client?.close();
  if (connected) void getSync().then((e) => e.disconnected());
  connected = false;
  whenUnpaired(() => unpaired(hubUrl, "this app is not paired with the machine", false));
  client = new HubClient(
    transport,
    {
      onUnpaired: (reason, revoked) => unpaired(hubUrl, reason, revoked),
      onStatus: (s, detail) => {
        if (s === "connected") useMachine.setState({ pairing: "paired", pairingDetail: null });
        // REST goes where the socket goes: through the relay or over Bluetooth it travels inside the channel.
        const route = useMachine.getState().route;
        const away = s === "connected" && (route === "relay" || route === "bluetooth");
        restThroughSocket(
          away ? (method, path, body) => (client ? client.request(method, path, body) : Promise.reject(new Error("no hub"))) : null,
        );
        if (s === "connected") void keepTicket(hubUrl);
        setStatus(s, detail);
        const up = s === "connected";
        if (up && !connected && leader) void getSync().then((e) => e.connectedToHub());
        if (!up && connected) void getSync().then((e) => e.disconnected());
        connected = up;
      },
      onSnapshot: applySnapshot,
      onAutotune: (autotune) => useMachine.setState({ autotune }),
      onFirmware: (firmware) => useMachine.setState({ firmware }),
      onNextShot: setNextShot,
      onShot: (shot) => {
        setLastShot(shot);
        if (leader) void import("../data/samples.ts").then((m) => m.keepSamples(shot));
      },
      onSync: (m) => {
        if (leader) void getSync().then((e) => e.handle(m));
      },
      onPhoneScale: deliverPhoneScale,
    },
    {
      answerChallenge: (challenge) => {
        const c = credentialsFor(hubUrl);
        return c ? wsAuthAnswer(c.keys, challenge) : null;
      },
    },
  );
  useMachine.setState({ client, route });
  probeHome(hubUrl);
  showCached(hubUrl, loadLastState(hubUrl));
  return client;
}
