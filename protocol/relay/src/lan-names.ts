/**
 * @module Names for a hub's trusted HTTPS origin at home (docs/lan-https.md). Each hub owns
 * `*.<device-id>.<zone>` under the relay operator's zone; the label in front encodes its LAN
 * address (`192-168-1-20.<device-id>.<zone>` → 192.168.1.20), so the relay answers A queries with
 * no state and an address change needs neither a DNS update nor a new certificate. Only private
 * and loopback addresses are answered: the zone never points at someone else's public server.
 * The ACME DNS-01 challenge for the wildcard lives at `_acme-challenge.<device-id>.<zone>`; the
 * relay publishes it only for the hub that proved that id's key.
 */
import { ID_PATTERN } from "../../auth/src/keys.ts";

/** Values one challenge name may hold at once (a wildcard and its retries). */
export const TXT_VALUES_PER_NAME = 4;
/** Publishes one hub may make an hour (an issuance takes one; renewals are weeks apart). */
export const TXT_PUBLISHES_PER_HOUR = 20;
/** A published value is dropped after this long even if the hub never clears it. */
export const TXT_LIFE_MS = 10 * 60_000;
/** An ACME DNS-01 value: base64url of a SHA-256 digest. */
export const TXT_VALUE = /^[A-Za-z0-9_-]{43}$/;

const ZONE = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const isZone = (zone: string): boolean => ZONE.test(zone) && zone.length <= 200;

const octets = (ip: string): number[] | null => {
  const parts = ip.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p))) return null;
  const n = parts.map(Number);
  return n.every((x) => x <= 255) ? n : null;
};

/** RFC 1918, carrier-grade NAT (RFC 6598), link-local and loopback IPv4: addresses that only mean something at home. */
export function isPrivateIPv4(ip: string): boolean {
  const o = octets(ip);
  if (!o) return false;
  const [a = -1, b = -1] = o;
  return (
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254)
  );
}

/** The hub's name for one of its addresses: `192-168-1-20.<device-id>.<zone>`. */
export function lanHostName(ip: string, deviceId: string, zone: string): string {
  if (!isPrivateIPv4(ip)) throw new Error(`${ip} is not a private IPv4 address`);
  return `${ip.replaceAll(".", "-")}.${deviceId}.${zone}`;
}

/** The wildcard a hub's certificate covers. */
export const lanWildcard = (deviceId: string, zone: string): string => `*.${deviceId}.${zone}`;

/** Where the ACME server looks for the hub's DNS-01 value. */
export const acmeChallengeName = (deviceId: string, zone: string): string => `_acme-challenge.${deviceId}.${zone}`;

/** What a name under the zone means (lower-cased, no trailing dot), or null. */
export function readZoneName(
  name: string,
  zone: string,
):
  | { kind: "apex" }
  | { kind: "device"; deviceId: string }
  | { kind: "address"; ip: string; deviceId: string }
  | { kind: "challenge"; deviceId: string }
  | null {
  const n = name.toLowerCase().replace(/\.$/, "");
  if (n === zone) return { kind: "apex" };
  if (!n.endsWith(`.${zone}`)) return null;
  const labels = n.slice(0, -zone.length - 1).split(".");
  // `<device-id>.<zone>` holds no record but has names below it: it exists (an empty non-terminal,
  // never NXDOMAIN, or resolvers that trust NXDOMAIN cuts — RFC 8020 — would not look further).
  if (labels.length === 1 && ID_PATTERN.test(labels[0] ?? "")) return { kind: "device", deviceId: labels[0] ?? "" };
  if (labels.length !== 2) return null;
  const [first = "", deviceId = ""] = labels;
  if (!ID_PATTERN.test(deviceId)) return null;
  if (first === "_acme-challenge") return { kind: "challenge", deviceId };
  const ip = first.replaceAll("-", ".");
  return isPrivateIPv4(ip) ? { kind: "address", ip, deviceId } : null;
}
