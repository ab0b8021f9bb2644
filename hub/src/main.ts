/**
 * The hub process. Usage:
 *   bun hub/src/main.ts [--sim MACHINE [--speed N]] | [--serial /dev/ttyX] | [--tcp HOST:PORT [--speed N]]
 *                       [--data DIR] [--port N] [--host ADDR] [--tls-cert FILE --tls-key FILE]
 *                       [--app DIR] [--mdns on|off] [--sim-scale PORT] [--scale bluetooth|none] [--bt-adapter hci0]
 *                       [--relay wss://relay.example [--https-port 8443] [--acme-directory URL]
 *                        [--lan-address IP] [--lan-resolver HOST:PORT]]
 * Default: the simulator (dual_boiler_gear, real time), data in ./data, PORT or 8080, all interfaces,
 * the app from pwa/dist, mDNS per the setting except on the simulator. On the simulator the hub
 * also reads its virtual scale (with --tcp, give the simulator's `--scale tcp:PORT` as --sim-scale).
 * On a real machine (--serial) the scale is a Bluetooth one through BlueZ, paired from the app
 * (`--scale none`: no scale). With a relay that serves a DNS zone (and no --tls-cert), the hub gets
 * its own certificate for HTTPS at home (docs/lan-https.md) and serves it on --https-port.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { keyPair, pairingLink } from "@brewos/protocol/auth";
import { isPrivateIPv4 } from "@brewos/protocol/relay/lan-names";
import qrcode from "qrcode-generator";
import { BACKUP_BODY_LIMIT_BYTES, createHubServer } from "./api/app.ts";
import type { GattServer } from "./ble/gatt-server.ts";
import { startHubGatt } from "./ble/hub-gatt.ts";
import type { TransportFactory } from "./controller-link/transport.ts";
import { tcpTransport } from "./controller-link/transports/tcp.ts";
import { ttyTransport } from "./controller-link/transports/tty.ts";
import { DISPLAY_SOCKET_NAME, type DisplaySocket, startDisplaySocket } from "./display/display-socket.ts";
import { BREWOS_RELEASE_KEYS_HEX, DEV_KEY_FILE } from "./firmware/release-keys.ts";
import { HUB_VERSION_TEXT, Hub } from "./hub.ts";
import { LanCertificate } from "./net/lan-certificate.ts";
import { LanHttps } from "./net/lan-https.ts";
import { MdnsAdvertiser } from "./net/mdns.ts";
import { networkManagerWifi } from "./net/wifi.ts";
import { bluezTransport } from "./scale/bluez-transport.ts";
import type { GattConnector } from "./scale/gatt-link.ts";
import { ManagedScale } from "./scale/managed-scale.ts";
import { simulatorWithScale } from "./scale/simulator-scale.ts";
import { virtualDecentScale } from "./scale/virtual-decent-scale.ts";
import { checkHttpsFiles } from "./settings/resources.ts";

const { values: a } = parseArgs({
  options: {
    sim: { type: "string" },
    speed: { type: "string", default: "1" },
    serial: { type: "string" },
    tcp: { type: "string" },
    data: { type: "string", default: process.env.BREWOS_DATA ?? "data" },
    port: { type: "string", default: process.env.PORT ?? "8080" },
    host: { type: "string", default: process.env.HOST ?? "0.0.0.0" },
    mdns: { type: "string" },
    "tls-cert": { type: "string" },
    "tls-key": { type: "string" },
    app: { type: "string", default: join(import.meta.dir, "..", "..", "pwa", "dist") },
    "sim-scale": { type: "string" },
    scale: { type: "string" },
    "bt-adapter": { type: "string", default: "hci0" },
    bluetooth: { type: "string" },
    "display-socket": { type: "string" },
    relay: { type: "string" },
    "https-port": { type: "string", default: "8443" },
    "acme-directory": { type: "string" },
    "lan-address": { type: "string" },
    "lan-resolver": { type: "string" },
    "sim-binary": { type: "string", default: join(import.meta.dir, "..", "..", "build", "host", "brewos-sim") },
    "controller-release": { type: "string", default: join(import.meta.dir, "..", "..", "build", "controller-release") },
    "release-key": { type: "string", multiple: true },
  },
});

/** --relay takes the relay's address (wss://relay.example, or ws://127.0.0.1:8787): its /hub endpoint. */
function relayHubUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    fail(`--relay takes an address like wss://relay.example, not ${text}`);
  }
  if (u.protocol !== "ws:" && u.protocol !== "wss:") fail(`--relay must be ws:// or wss://, not ${u.protocol}`);
  return `${u.origin}/hub`;
}

/** Trusted controller release keys: the project's, --release-key, and on the simulator the data folder's development key. */
function releaseKeys(extra: string[], board: "sim" | "pico2", data: string): Uint8Array[] {
  const hex = [...BREWOS_RELEASE_KEYS_HEX, ...extra];
  for (const k of extra) if (!/^[0-9a-f]{64}$/.test(k)) fail(`--release-key takes 64 hex digits (an Ed25519 public key), not ${k}`);
  const keys: Uint8Array[] = hex.map((k) => Uint8Array.from(Buffer.from(k, "hex")));
  const dev = join(data, DEV_KEY_FILE);
  if (board === "sim" && existsSync(dev)) {
    const seed = readFileSync(dev, "utf8").trim();
    if (/^[0-9a-f]{64}$/.test(seed)) keys.push(keyPair(Uint8Array.from(Buffer.from(seed, "hex"))).publicKey);
  }
  return keys;
}

function fail(text: string): never {
  console.error(`brewos hub: ${text}`);
  process.exit(2);
}

const speed = Number(a.speed);
if (!(speed >= 1 && speed <= 1000)) fail(`--speed must be from 1 to 1000, not ${a.speed}`);
const port = Number(a.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`port must be 0..65535, not ${a.port}`);
if ([a.sim, a.serial, a.tcp].filter(Boolean).length > 1) fail("choose one of --sim, --serial, --tcp");

let open: TransportFactory;
let onSim = false;
let scale: GattConnector | undefined;
if (a.serial) open = ttyTransport(a.serial);
else if (a.tcp) {
  const m = /^(.+):(\d+)$/.exec(a.tcp);
  if (!m) fail(`--tcp wants HOST:PORT, not ${a.tcp}`);
  open = tcpTransport(m[1] as string, Number(m[2]));
  if (a["sim-scale"]) {
    const scalePort = Number(a["sim-scale"]);
    if (!Number.isInteger(scalePort) || scalePort < 1 || scalePort > 65535) fail(`--sim-scale wants a port, not ${a["sim-scale"]}`);
    scale = virtualDecentScale(tcpTransport(m[1] as string, scalePort));
  }
} else {
  onSim = true;
  // The simulated board's A/B image flash lives with the hub's data, so an update survives a restart.
  mkdirSync(a.data as string, { recursive: true, mode: 0o700 });
  ({ open, scale } = simulatorWithScale({
    binary: a["sim-binary"] as string,
    machine: a.sim ?? "dual_boiler_gear",
    speed,
    args: ["--flash", join(a.data as string, "sim-flash.bin")],
  }));
}

const log = (level: "info" | "warn", text: string) => console.log(`${new Date().toISOString()} ${level} ${text}`);
const scaleKind = a.scale ?? (scale ? "sim" : "bluetooth");
if (!["bluetooth", "none", "sim"].includes(scaleKind)) fail(`--scale is bluetooth or none, not ${a.scale}`);
const scaleSource =
  scaleKind === "bluetooth"
    ? new ManagedScale({ transport: bluezTransport({ adapter: a["bt-adapter"] as string }), remembered: [], log })
    : undefined;
if (scaleKind !== "sim") scale = undefined;
// --speed is the simulated machine's: with --sim, or a simulator reached over --tcp. A real
// machine on a serial port always runs at 1.
const board = a.serial ? "pico2" : "sim";
const hub = new Hub({
  open,
  dataDir: a.data as string,
  controllerRelease: {
    dir: a["controller-release"] as string,
    keys: releaseKeys(a["release-key"] ?? [], board, a.data as string),
    board,
  },
  speed: a.serial ? 1 : speed,
  log,
  ...(scale ? { scale } : {}),
  ...(scaleSource ? { scaleSource } : {}),
});
if (hub.interruptedAtStart > 0) log("warn", `${hub.interruptedAtStart} shot(s) were cut short by the last stop; kept as interrupted`);
// Where phones on the LAN reach this hub (the pairing QR code's link): its IPv4 addresses and,
// when mDNS is on, its .local name. Read when a code is made, so the port is the one listened on.
let scheme = "http";
let listenPort = port;
let advertised = false;
/** This board's IPv4 addresses on its networks (not loopback). */
function lanIPv4s(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && i.family === "IPv4" && !i.internal)
    .map((i) => i?.address as string);
}
function lanBases(): string[] {
  const ips = lanIPv4s().map((ip) => `${scheme}://${ip}:${listenPort}`);
  const m = hub.settings.hubSettings().mdns;
  return advertised ? [...ips, `${scheme}://${m.hostname}.local:${listenPort}`] : ips;
}
/** Exit status that asks whoever runs the hub (npm start, systemd) to start it again. */
const RESTART_EXIT = 75;
const server = createHubServer(hub, {
  appDir: a.app as string,
  bases: lanBases,
  restart: () => void shutdown("restart (safe mode: fresh database)", RESTART_EXIT),
  ...(a.relay ? { relayUrl: relayHubUrl(a.relay) } : {}),
  lanHttps: () => lanHttps,
  // The board's Wi-Fi through NetworkManager; a simulator on a laptop leaves the laptop's alone.
  ...(onSim ? {} : { wifi: networkManagerWifi() }),
});
// HTTPS when given a certificate and key (flags, or the `https` hub setting): a page served over
// plain HTTP on the LAN is not a secure context, so browsers refuse the service worker, install
// and Web Bluetooth there.
const https = hub.settings.hubSettings().https;
if (Boolean(a["tls-cert"]) !== Boolean(a["tls-key"])) fail("HTTPS needs both --tls-cert and --tls-key");
let tls: { cert: string; key: string } | undefined;
if (a["tls-cert"] && a["tls-key"]) {
  // Given on the command line: a bad pair is a mistake to fix now.
  const r = checkHttpsFiles(a["tls-cert"], a["tls-key"]);
  if (!r.ok) fail(r.message);
  tls = { cert: r.cert, key: r.key };
} else if (https.cert_path && https.key_path) {
  // From the settings: a certificate that went bad turns HTTPS off alone; the app (over HTTP) says why.
  const r = checkHttpsFiles(https.cert_path, https.key_path);
  if (r.ok) tls = { cert: r.cert, key: r.key };
  else hub.settings.problem("https", `${r.message}; serving plain HTTP until it is fixed`);
}
let http: ReturnType<typeof Bun.serve>;
try {
  http = Bun.serve({
    port,
    hostname: a.host as string,
    fetch: server.app.fetch,
    websocket: server.websocket,
    maxRequestBodySize: BACKUP_BODY_LIMIT_BYTES + 1024 * 1024,
    ...(tls ? { tls } : {}),
  });
} catch (e) {
  await hub.stop();
  fail(`cannot listen on ${a.host}:${port}: ${(e as Error).message}`);
}
hub.start();
// HTTPS at home: when the relay serves a DNS zone, and no certificate was given by hand.
let lanHttps: LanHttps | null = null;
const relayLink = server.relay;
if (relayLink && !tls) {
  const httpsPort = Number(a["https-port"]);
  if (!Number.isInteger(httpsPort) || httpsPort < 1 || httpsPort > 65535) fail(`--https-port must be 1 to 65535, not ${a["https-port"]}`);
  if (a["lan-address"] !== undefined && !isPrivateIPv4(a["lan-address"]))
    fail(`--lan-address must be a private IPv4 address, not ${a["lan-address"]}`);
  const addresses = () => (a["lan-address"] ? [a["lan-address"]] : lanIPv4s().filter(isPrivateIPv4));
  const certificate = new LanCertificate({
    dataDir: a.data as string,
    deviceId: hub.auth.identity.deviceId,
    dns: relayLink,
    ...(a["acme-directory"] ? { directoryUrl: a["acme-directory"] } : {}),
    ...(process.env.BREWOS_CERT_CHECK_MS ? { checkEveryMs: Number(process.env.BREWOS_CERT_CHECK_MS) } : {}),
    onCertificate: (c) => https?.use(c),
    log,
  });
  const https: LanHttps = new LanHttps({
    certificate,
    deviceId: hub.auth.identity.deviceId,
    port: httpsPort,
    hostname: a.host as string,
    serve: { fetch: server.app.fetch, websocket: server.websocket, maxRequestBodySize: BACKUP_BODY_LIMIT_BYTES + 1024 * 1024 },
    addresses,
    ...(a["lan-resolver"] ? { resolver: a["lan-resolver"] } : {}),
    log,
  });
  lanHttps = https;
  const kept = certificate.certificate();
  if (kept) https.use(kept); // from an earlier run: HTTPS at once, the relay need not be up
  relayLink.onDnsZone((zone) => certificate.setZone(zone));
}
server.relay?.start();
scheme = tls ? "https" : "http";
listenPort = http.port ?? port;

// mDNS: on when the setting says so (default), except on the simulator unless --mdns is given,
// so a demo on a laptop does not announce itself to the whole LAN.
const mdnsCfg = hub.settings.hubSettings().mdns;
let mdns: MdnsAdvertiser | null = null;
if (a.mdns !== undefined && a.mdns !== "on" && a.mdns !== "off") fail(`--mdns takes on or off, not ${a.mdns}`);
if (mdnsCfg.enabled && (a.mdns === undefined ? !onSim : a.mdns === "on")) {
  const ipv4 = lanIPv4s()[0];
  if (!ipv4) log("warn", "mDNS: no IPv4 network interface; not advertising");
  else {
    mdns = new MdnsAdvertiser({
      hostname: mdnsCfg.hostname,
      instance: hub.settings.hubSettings().machine_name,
      port: http.port ?? port,
      ipv4,
      https: tls !== undefined,
      txt: { path: "/", version: HUB_VERSION_TEXT },
    });
    mdns.start(log);
    advertised = true;
  }
}
// The BrewOS Bluetooth service (docs/api/ble.md): on by default on a machine, off on the simulator
// unless --bluetooth on. Without BlueZ the hub says so and goes on over Wi-Fi.
if (a.bluetooth !== undefined && a.bluetooth !== "on" && a.bluetooth !== "off") fail(`--bluetooth takes on or off, not ${a.bluetooth}`);
let gatt: GattServer | null = null;
if (a.bluetooth === undefined ? !onSim : a.bluetooth === "on") {
  startHubGatt({
    auth: hub.auth,
    clients: server.fanout,
    rest: (request) => server.app.fetch(request),
    name: () => hub.settings.hubSettings().machine_name,
    httpPort: () => listenPort,
    adapter: a["bt-adapter"] as string,
    log,
  })
    .then((g) => {
      gatt = g;
    })
    .catch((e: Error) => log("warn", `bluetooth: the BrewOS service is not available (${e.message}); phones use Wi-Fi`));
}
// The on-machine display (display/): its socket in the data folder, unless --display-socket off.
let displaySocket: DisplaySocket | null = null;
if (a["display-socket"] !== "off") {
  const path = a["display-socket"] ?? join(a.data as string, DISPLAY_SOCKET_NAME);
  try {
    displaySocket = startDisplaySocket({ path, clients: server.fanout, log });
  } catch (e) {
    log("warn", `display: no socket at ${path} (${(e as Error).message}); the display cannot connect`);
  }
}
const shown = a.host === "0.0.0.0" ? "localhost" : a.host;
console.log(
  `BrewOS hub listening on ${tls ? "https" : "http"}://${shown}:${http.port} (${onSim ? `simulator ${a.sim ?? "dual_boiler_gear"} x${speed}` : a.serial ? `serial ${a.serial}` : `tcp ${a.tcp}`}, data in ${a.data})`,
);

// Pairing: the first phone pairs with the code printed here; later ones from the display or a paired phone.
if (hub.auth.apps.count === 0) {
  const code = hub.auth.pairing.open();
  const first = lanBases()[0] ?? `${scheme}://localhost:${listenPort}`;
  const link = pairingLink({
    deviceId: hub.auth.identity.deviceId,
    hubPublicKey: hub.auth.identity.publicKey,
    secret: code.secret,
    bases: lanBases().length ? lanBases() : [first],
  });
  const q = qrcode(0, "L");
  q.addData(link);
  q.make();
  console.log(
    `\nPair your phone: open ${first} on it and type the code ${code.typed}, or scan this QR code with its camera.\nThe code works once, for ${Math.round((code.expiresAtMs - Date.now()) / 60000)} minutes; the machine's display (/display → Pair) makes new ones.\n${q.createASCII(1, 2)}\n`,
  );
} else {
  console.log(`${hub.auth.apps.count} phone(s) paired. Pair another from the display (/display → Pair) or a paired phone's Settings.`);
}

let stopping = false;
async function shutdown(signal: string, exitCode = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  log("info", `${signal}: stopping`);
  mdns?.stop();
  gatt?.stop();
  displaySocket?.stop();
  lanHttps?.stop();
  server.relay?.stop();
  server.fanout.stop();
  await http.stop(true);
  await hub.stop();
  process.exit(exitCode);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
