/**
 * The machine display's socket on a hub on the simulator: the display is the kiosk there (state,
 * commands, socket REST for the pairing window), the socket file is the hub user's alone, bad
 * lines get an error or end that connection without touching the hub, and the in-process kiosk
 * mark that socket REST uses is worth nothing from the network.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KIOSK_HEADER } from "../auth/local-auth.ts";
import { hubOnSim } from "../testing/hub-on-disk.ts";
import { until } from "../testing/until.ts";
import { type DisplaySocket, startDisplaySocket } from "./display-socket.ts";
import { lineSplitter } from "./line-splitter.ts";

const dir = mkdtempSync(join(tmpdir(), "brewos-display-socket-"));
let h: Awaited<ReturnType<typeof hubOnSim>>;
let sock: DisplaySocket;

beforeAll(async () => {
  // 127.0.0.1 is not the kiosk here: only the display socket is.
  h = await hubOnSim("dual_boiler", { speed: 20, kioskAddresses: ["10.99.0.1"] });
  sock = startDisplaySocket({ path: join(dir, "display.sock"), clients: h.server.fanout });
});
afterAll(async () => {
  sock?.stop();
  await h?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function display() {
  const got: Record<string, unknown>[] = [];
  const push = lineSplitter((l) => got.push(JSON.parse(l) as Record<string, unknown>));
  let closed = false;
  const s = await Bun.connect({
    unix: sock.path,
    socket: {
      data(_s, d) {
        push(d);
      },
      close() {
        closed = true;
      },
    },
  });
  return { s, got, closed: () => closed, send: (m: object | string) => s.write(`${typeof m === "string" ? m : JSON.stringify(m)}\n`) };
}

describe("the display socket", () => {
  test("the display is the kiosk: the state at connect, a command, the pairing window by socket REST", async () => {
    expect(statSync(sock.path).mode & 0o777).toBe(0o600);
    const d = await display();
    const snapshot = await until("snapshot", () => d.got.find((m) => m.type === "snapshot"), 5000);
    expect((snapshot.state as { link: string }).link).toBe("up");
    d.send({ type: "command", id: 1, command: { type: "set_mode", mode: "brew" } });
    expect(await until("result", () => d.got.find((m) => m.type === "result" && m.id === 1), 5000)).toMatchObject({ ok: true });
    d.send({ type: "http", id: "p", method: "POST", path: "/api/pairing/code", body: "{}" });
    const answer = await until("pairing", () => d.got.find((m) => m.type === "http_result" && m.id === "p"), 5000);
    expect(answer.status).toBe(200);
    const body = JSON.parse(String(answer.body)) as { typed_code: string; link: string };
    expect(body.typed_code).toBe(h.hub.auth.pairing.open().typed);
    await h.hub.control.run({ type: "set_mode", mode: "standby" });
    d.s.end();
  });

  test("bad lines: not JSON gets an error and the connection goes on; a line over 64 KB ends that connection only", async () => {
    const d = await display();
    await until("snapshot", () => d.got.find((m) => m.type === "snapshot"), 5000);
    d.send("this is not json");
    expect(await until("error", () => d.got.find((m) => m.type === "error"), 3000)).toMatchObject({ type: "error" });
    d.send({ type: "command", id: 2, command: { type: "set_mode", mode: "nonsense" } });
    expect(await until("refused", () => d.got.find((m) => m.type === "result" && m.id === 2), 3000)).toMatchObject({ ok: false });
    d.s.write("x".repeat(70 * 1024));
    await until("dropped", () => d.closed() || null, 3000);
    const again = await display();
    await until("another display still served", () => again.got.find((m) => m.type === "snapshot"), 5000);
    expect(sock.connections()).toBe(1);
    again.s.end();
  });

  test("the kiosk mark is refused from the network, even with the right value", async () => {
    const r = await fetch(`${h.base}/api/settings`, { headers: { [KIOSK_HEADER]: h.hub.auth.kioskToken } });
    expect(r.status).toBe(401);
    const pairing = await fetch(`${h.base}/api/pairing/code`, {
      method: "POST",
      headers: { [KIOSK_HEADER]: h.hub.auth.kioskToken, "content-type": "application/json" },
      body: "{}",
    });
    expect(pairing.status).toBe(401);
  });
});
