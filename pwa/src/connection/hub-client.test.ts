/**
 * The hub client over an in-memory transport (the seam the relay and Bluetooth transports plug
 * into): snapshot then deltas, a gap asks for a resync, commands answered or timed out, a silent
 * socket is pinged then given up and reopened with backoff.
 */
import { afterEach, expect, test } from "bun:test";
import type { MachineSnapshot } from "@brewos/protocol/api";
import { eventually } from "../testing/eventually.ts";
import { HubClient } from "./hub-client.ts";
import type { HubSocketEvents, HubTransport } from "./transport.ts";

class MemoryTransport implements HubTransport {
  readonly describe = "memory";
  sockets: { events: HubSocketEvents; sent: string[]; closed: boolean }[] = [];
  open(events: HubSocketEvents) {
    const s = { events, sent: [] as string[], closed: false };
    this.sockets.push(s);
    return { send: (t: string) => s.sent.push(t), close: () => (s.closed = true) };
  }
  get last() {
    return this.sockets.at(-1) as { events: HubSocketEvents; sent: string[]; closed: boolean };
  }
}

const snapshot = (seq: number): MachineSnapshot =>
  ({ seq, link: "up", state: "ready", ready: true, brew_c: 93, brewing: false, flags: [] }) as unknown as MachineSnapshot;

const clients: HubClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

function client(t: MemoryTransport, o = {}) {
  const seen: MachineSnapshot[] = [];
  const statuses: string[] = [];
  const c = new HubClient(t, { onStatus: (s) => statuses.push(s), onSnapshot: (s) => seen.push(s), onShot: () => {} }, o);
  clients.push(c);
  return { c, seen, statuses };
}

test("a snapshot then deltas in order; a gap asks for a resync and stale deltas are ignored", () => {
  const t = new MemoryTransport();
  const { seen, statuses } = client(t);
  t.last.events.onOpen();
  t.last.events.onMessage(JSON.stringify({ type: "snapshot", state: snapshot(10), link: "up" }));
  t.last.events.onMessage(JSON.stringify({ type: "delta", from_seq: 11, seq: 12, changes: { brew_c: 92.5 }, rx_ms: 1 }));
  expect(seen.at(-1)).toMatchObject({ seq: 12, brew_c: 92.5, state: "ready" });
  t.last.events.onMessage(JSON.stringify({ type: "delta", from_seq: 9, seq: 11, changes: { brew_c: 1 }, rx_ms: 1 }));
  expect(seen.at(-1)?.brew_c).toBe(92.5); // older than what we have
  t.last.events.onMessage(JSON.stringify({ type: "delta", from_seq: 20, seq: 21, changes: { brew_c: 90 }, rx_ms: 1 }));
  expect(seen.at(-1)?.seq).toBe(12); // a gap is not applied…
  expect(t.last.sent.at(-1)).toBe('{"type":"resync"}'); // …the client starts again from a snapshot
  t.last.events.onMessage("not json at all"); // ignored, nothing breaks
  expect(statuses).toEqual(["connecting", "connected"]);
});

test("commands get the hub's result; no answer becomes a timeout; a dropped socket fails them at once", async () => {
  const t = new MemoryTransport();
  const { c } = client(t, { commandTimeoutMs: 50 });
  t.last.events.onOpen();
  t.last.events.onMessage(JSON.stringify({ type: "snapshot", state: snapshot(1), link: "up" }));
  const p = c.command({ type: "set_mode", mode: "brew" });
  const sent = JSON.parse(t.last.sent.at(-1) as string) as { id: string; command: unknown };
  expect(sent.command).toEqual({ type: "set_mode", mode: "brew" });
  t.last.events.onMessage(
    JSON.stringify({ type: "result", id: sent.id, ok: false, code: "not_ready", message: "the machine is not ready yet" }),
  );
  expect(await p).toEqual({ ok: false, code: "not_ready", message: "the machine is not ready yet" });
  expect(await c.command({ type: "stop_shot" })).toMatchObject({ ok: false, code: "timeout" });
  const pending = c.command({ type: "stop_shot" });
  t.last.events.onClose("gone");
  expect(await pending).toMatchObject({ ok: false, code: "not_connected" });
});

test("a silent socket is pinged, then closed and reopened; a closed one reconnects with backoff", async () => {
  let now = 1000;
  const t = new MemoryTransport();
  const { statuses } = client(t, { silenceMs: 100, answerMs: 100, now: () => now });
  t.last.events.onOpen();
  t.last.events.onMessage(JSON.stringify({ type: "snapshot", state: snapshot(1), link: "up" }));
  now = 1150;
  // The watch runs every 500 ms of real time: wait for what it does, bounded.
  await eventually(() => expect(t.last.sent).toContain('{"type":"resync"}'), 3000);
  now = 1400;
  await eventually(() => expect(t.sockets.length).toBe(2), 3000); // reopened
  expect(t.sockets[0]?.closed).toBe(true);
  expect(statuses).toContain("reconnecting");
  t.last.events.onClose("refused");
  await eventually(() => expect(t.sockets.length).toBe(3), 3000);
});

test("REST over the socket: the answer comes back as a Response (text or base64), an error rejects, a drop fails what waits", async () => {
  const t = new MemoryTransport();
  const { c } = client(t);
  await expect(c.request("GET", "/api/info")).rejects.toThrow("not connected");
  t.last.events.onOpen();
  t.last.events.onMessage(JSON.stringify({ type: "snapshot", state: snapshot(1), link: "up" }));
  const asked = c.request("PUT", "/api/next-shot", '{"dose_g":18}');
  const sent = JSON.parse(t.last.sent.at(-1) as string) as { id: string };
  expect(sent).toMatchObject({ type: "http", method: "PUT", path: "/api/next-shot", body: '{"dose_g":18}' });
  t.last.events.onMessage(
    JSON.stringify({
      type: "http_result",
      id: sent.id,
      status: 400,
      content_type: "application/json",
      content_disposition: null,
      body: '{"e":1}',
    }),
  );
  const res = await asked;
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ e: 1 });
  const file = c.request("GET", "/api/shots/x/export");
  const id = (JSON.parse(t.last.sent.at(-1) as string) as { id: string }).id;
  t.last.events.onMessage(
    JSON.stringify({
      type: "http_result",
      id,
      status: 200,
      content_type: "application/octet-stream",
      content_disposition: 'attachment; filename="a.bin"',
      body_base64: btoa(String.fromCharCode(0, 255, 7)),
    }),
  );
  const bin = await file;
  expect(new Uint8Array(await bin.arrayBuffer())).toEqual(Uint8Array.of(0, 255, 7));
  expect(bin.headers.get("content-disposition")).toContain("a.bin");
  const refused = c.request("GET", "/api/../ws");
  const rid = (JSON.parse(t.last.sent.at(-1) as string) as { id: string }).id;
  t.last.events.onMessage(JSON.stringify({ type: "error", id: rid, code: "invalid_http", message: "path: an /api/… path" }));
  await expect(refused).rejects.toThrow("an /api/… path");
  const waiting = c.request("GET", "/api/state");
  t.last.events.onClose("gone");
  await expect(waiting).rejects.toThrow("dropped");
});
