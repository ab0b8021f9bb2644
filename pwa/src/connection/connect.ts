/**
 * @module Starts (or switches) the live connection to a hub and wires it to the machine store and,
 * in the tab that leads sync for this install (Web Locks), to the sync engine. The engine (and
 * IndexedDB) load after the first screen, so the dashboard's JavaScript stays small.
 */
import type { SyncEngine } from "../data/sync-engine.ts";
import { HubClient } from "./hub-client.ts";
import { applySnapshot, setLastShot, setStatus, useMachine } from "./machine-store.ts";
import { type HubTransport, webSocketTransport } from "./transport.ts";

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

export function connectTo(hubUrl: string, transport: HubTransport = webSocketTransport(hubUrl)): HubClient {
  useMachine.getState().client?.close();
  if (connected) void getSync().then((e) => e.disconnected());
  connected = false;
  client = new HubClient(transport, {
    onStatus: (s, detail) => {
      setStatus(s, detail);
      const up = s === "connected";
      if (up && !connected && leader) void getSync().then((e) => e.connectedToHub());
      if (!up && connected) void getSync().then((e) => e.disconnected());
      connected = up;
    },
    onSnapshot: applySnapshot,
    onAutotune: (autotune) => useMachine.setState({ autotune }),
    onShot: setLastShot,
    onSync: (m) => {
      if (leader) void getSync().then((e) => e.handle(m));
    },
  });
  useMachine.setState({ client, snapshot: null });
  return client;
}
