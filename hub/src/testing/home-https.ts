/**
 * Test helper for HTTPS at home, all real and offline on 127.0.0.1: Debian's `pebble` as the ACME
 * CA (its own HTTPS from a test CA made by openssl, its DNS lookups sent to the relay's zone DNS),
 * the relay with its zone DNS, and the hub as its own process (`bun hub/src/main.ts` on the
 * simulator) trusting pebble through NODE_EXTRA_CA_CERTS, as an owner's board would trust its CA.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZoneDns } from "../../../relay/src/dns/zone-dns.ts";
import { Relay } from "../../../relay/src/relay.ts";
import { makeTestCerts } from "./certs.ts";
import { closedPort, SIM_BINARY } from "./hub-on-disk.ts";
import { until } from "./until.ts";

export const HOME_ZONE = "home.brewos.test";
const MAIN = join(import.meta.dir, "..", "main.ts");

export interface HomeHttps {
  dir: string;
  /** The hub's plain-HTTP base (loopback: the kiosk) and its HTTPS port. */
  base: string;
  httpsPort: number;
  dnsPort: number;
  /** Everything the hub printed so far. */
  output: () => string;
  /** The CA pebble issues under (PEM). */
  pebbleRoot: () => Promise<string>;
  relay: Relay;
  /** The relay goes away (the hub keeps redialling it). */
  stopRelay: () => void;
  /** The hub's process stopped and started again on the same data. */
  restartHub: () => Promise<void>;
  stop: () => Promise<void>;
}

/** Pebble, the relay (zone DNS on), and a hub dialling it; `validityS`: lifetime of issued certificates. */
export async function startHomeHttps(o: { validityS: number; appDir?: string; checkEveryMs?: number }): Promise<HomeHttps> {
  const dir = mkdtempSync(join(tmpdir(), "brewos-home-https-"));
  const certs = makeTestCerts(dir);
  const stops: (() => unknown)[] = [];
  try {
    const relay = new Relay({ dataDir: join(dir, "relay"), zone: HOME_ZONE });
    const relayServer = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: relay.fetch, websocket: relay.websocket });
    const dns = new ZoneDns({ zone: HOME_ZONE, txt: relay.txt, nameServers: [`ns1.${HOME_ZONE}`] });
    const dnsPort = await dns.listen(0, "127.0.0.1");
    stops.push(
      () => dns.stop(),
      () => relay.stop(),
      () => relayServer.stop(true),
    );

    const [acmePort, mgmtPort, httpPort, tlsPort, hubPort, httpsPort] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => closedPort()));
    const config = join(dir, "pebble.json");
    writeFileSync(
      config,
      JSON.stringify({
        pebble: {
          listenAddress: `127.0.0.1:${acmePort}`,
          managementListenAddress: `127.0.0.1:${mgmtPort}`,
          certificate: certs.cert,
          privateKey: certs.key,
          httpPort,
          tlsPort,
          ocspResponderURL: "",
          externalAccountBindingRequired: false,
          certificateValidityPeriod: o.validityS,
        },
      }),
    );
    const pebble = Bun.spawn(["pebble", "-config", config, "-dnsserver", `127.0.0.1:${dnsPort}`], {
      env: { ...process.env, PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0", PEBBLE_AUTHZREUSE: "0" },
      stdout: "pipe",
      stderr: "pipe",
    });
    stops.push(async () => {
      pebble.kill();
      await pebble.exited;
    });
    const ca = await Bun.file(certs.ca).text();
    for (let tries = 0; ; tries++) {
      const up = await fetch(`https://127.0.0.1:${acmePort}/dir`, { tls: { ca } } as RequestInit).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (tries > 100) throw new Error("pebble did not come up within 10 s");
      await Bun.sleep(100);
    }

    const data = join(dir, "hub");
    mkdirSync(data);
    let text = "";
    let hub: { kill(): void; exited: Promise<number> } | null = null;
    const spawnHub = () => {
      const p = Bun.spawn(
        [
          process.execPath,
          MAIN,
          "--sim",
          "dual_boiler_gear",
          "--speed",
          "10",
          "--sim-binary",
          SIM_BINARY,
          "--data",
          data,
          "--host",
          "127.0.0.1",
          "--port",
          String(hubPort),
          "--relay",
          `ws://127.0.0.1:${relayServer.port}`,
          "--https-port",
          String(httpsPort),
          "--acme-directory",
          `https://127.0.0.1:${acmePort}/dir`,
          "--lan-address",
          "127.0.0.1",
          "--lan-resolver",
          `127.0.0.1:${dnsPort}`,
          ...(o.appDir ? ["--app", o.appDir] : []),
        ],
        {
          env: { ...process.env, NODE_EXTRA_CA_CERTS: certs.ca, BREWOS_CERT_CHECK_MS: String(o.checkEveryMs ?? 1000) },
          stdout: "pipe",
          stderr: "pipe",
        },
      );
      hub = p;
      for (const s of [p.stdout, p.stderr])
        void (async () => {
          const reader = s.getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            text += new TextDecoder().decode(value);
          }
        })();
    };
    const stopHub = async () => {
      hub?.kill();
      await hub?.exited;
    };
    stops.push(stopHub);
    spawnHub();
    await until("the hub listening", () => text.includes("listening on"), 15_000);
    return {
      dir,
      base: `http://127.0.0.1:${hubPort}`,
      httpsPort: httpsPort ?? 0,
      dnsPort,
      output: () => text,
      pebbleRoot: async () => (await fetch(`https://127.0.0.1:${mgmtPort}/roots/0`, { tls: { ca } } as RequestInit)).text(),
      relay,
      stopRelay: () => {
        relay.stop();
        relayServer.stop(true);
      },
      restartHub: async () => {
        await stopHub();
        text = "";
        spawnHub();
        await until("the hub listening again", () => text.includes("listening on"), 15_000);
      },
      stop: async () => {
        for (const s of stops.reverse()) await s();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    for (const s of stops.reverse()) await s();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
