/**
 * `npm run relay` — one relay instance with embedded defaults: 127.0.0.1:8787 (put it behind a TLS
 * proxy, or pass --host 0.0.0.0 on a machine that terminates TLS itself), registry in ./relay-data.
 *   bun relay/src/main.ts [--port N] [--host H] [--data DIR] [--redis redis://host:6379]
 *       [--google-client-id ID | --oidc-issuer URL --oidc-client-id ID --oidc-jwks URL [--oidc-authorize URL]]
 *       [--cert fullchain.pem --key privkey.pem]   (serve wss:// itself instead of behind a TLS proxy)
 *       [--app DIR]   (the built app to serve at this origin; default pwa/dist when built; --app "" : none)
 *       [--zone home.example.net --dns-port 53 --dns-host 0.0.0.0 --ns ns1.example.net,…]
 *             (authoritative DNS for the hubs' HTTPS names at home, docs/lan-https.md)
 * With --redis, several instances (behind one load balancer) act as one relay. With an OpenID
 * Connect issuer (Google's, or any), signed-in phones list the machines their account claimed.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isZone } from "@brewos/protocol/relay/lan-names";
import { googleOidc, type OidcConfig } from "./accounts.ts";
import { Cluster } from "./cluster.ts";
import { ZoneDns } from "./dns/zone-dns.ts";
import { Relay } from "./relay.ts";

const { values: a } = parseArgs({
  options: {
    port: { type: "string", default: "8787" },
    host: { type: "string", default: "127.0.0.1" },
    data: { type: "string", default: "relay-data" },
    redis: { type: "string" },
    "google-client-id": { type: "string" },
    "oidc-issuer": { type: "string" },
    "oidc-client-id": { type: "string" },
    "oidc-jwks": { type: "string" },
    "oidc-authorize": { type: "string" },
    cert: { type: "string" },
    key: { type: "string" },
    app: { type: "string", default: join(import.meta.dir, "..", "..", "pwa", "dist") },
    zone: { type: "string" },
    "dns-port": { type: "string", default: "53" },
    "dns-host": { type: "string", default: "0.0.0.0" },
    ns: { type: "string" },
  },
});
const port = Number(a.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`relay: --port must be 0 to 65535, not ${a.port}`);
  process.exit(2);
}
let oidc: OidcConfig | undefined;
if (a["google-client-id"]) oidc = googleOidc(a["google-client-id"]);
else if (a["oidc-issuer"] || a["oidc-client-id"] || a["oidc-jwks"]) {
  if (!a["oidc-issuer"] || !a["oidc-client-id"] || !a["oidc-jwks"]) {
    console.error("relay: an OpenID Connect issuer needs all three of --oidc-issuer, --oidc-client-id and --oidc-jwks");
    process.exit(2);
  }
  oidc = {
    issuers: [a["oidc-issuer"]],
    audience: a["oidc-client-id"],
    jwksUrl: a["oidc-jwks"],
    ...(a["oidc-authorize"] ? { authorizationUrl: a["oidc-authorize"] } : {}),
  };
}
const zone = a.zone?.toLowerCase();
if (zone !== undefined && !isZone(zone)) {
  console.error(`relay: --zone must be a DNS name like home.example.net, not ${a.zone}`);
  process.exit(2);
}
const dnsPort = Number(a["dns-port"]);
if (!Number.isInteger(dnsPort) || dnsPort < 0 || dnsPort > 65535) {
  console.error(`relay: --dns-port must be 0 to 65535, not ${a["dns-port"]}`);
  process.exit(2);
}
const appDir = a.app && existsSync(join(a.app, "index.html")) ? a.app : undefined;
const relay = new Relay({
  dataDir: a.data as string,
  ...(a.redis ? { cluster: new Cluster(a.redis) } : {}),
  ...(oidc ? { oidc } : {}),
  ...(appDir ? { appDir } : {}),
  ...(zone ? { zone } : {}),
});
try {
  await relay.start();
} catch (e) {
  console.error(`relay: cannot reach Redis at ${a.redis}: ${(e as Error).message}`);
  process.exit(1);
}
if (Boolean(a.cert) !== Boolean(a.key)) {
  console.error("relay: --cert and --key go together (the certificate chain and its private key, PEM)");
  process.exit(2);
}
const tls = a.cert && a.key ? { tls: { cert: Bun.file(a.cert), key: Bun.file(a.key) } } : {};
let dns: ZoneDns | null = null;
if (zone) {
  dns = new ZoneDns({ zone, txt: relay.txt, nameServers: (a.ns ?? `ns.${zone}`).split(",").map((n) => n.trim()) });
  try {
    const bound = await dns.listen(dnsPort, a["dns-host"] as string);
    console.log(`BrewOS relay: DNS for ${zone} on udp ${a["dns-host"]}:${bound}`);
  } catch (e) {
    console.error(`relay: cannot serve DNS on udp ${a["dns-host"]}:${dnsPort}: ${(e as Error).message}`);
    process.exit(1);
  }
}
const server = Bun.serve({ hostname: a.host, port, fetch: relay.fetch, websocket: relay.websocket, ...tls });
console.log(
  `BrewOS relay listening on ${a.cert ? "wss" : "ws"}://${a.host}:${server.port} (registry in ${a.data}${appDir ? `; the app from ${appDir}` : ""}${a.redis ? `; instance ${relay.health().instance} on ${a.redis}` : ""})`,
);
const stop = () => {
  dns?.stop();
  relay.stop();
  server.stop(true);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
