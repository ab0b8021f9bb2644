/**
 * @module Settings that name a file are checked by reading and parsing the file: a CA bundle must
 * hold at least one certificate, an HTTPS certificate must parse and match its private key. Used
 * when such a setting is saved (refused with the reason) and at start (the feature alone is turned
 * off and the reason reported; the hub still comes up).
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";

export type Check = { ok: true; pem: string } | { ok: false; message: string };

function read(path: string, what: string): Check {
  try {
    return { ok: true, pem: readFileSync(path, "utf8") };
  } catch (e) {
    return { ok: false, message: `cannot read the ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

function certificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b));
}

/** A PEM file of one or more CA certificates. */
export function checkCaFile(path: string): Check {
  const f = read(path, "CA file");
  if (!f.ok) return f;
  try {
    if (certificates(f.pem).length === 0) return { ok: false, message: `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)` };
  } catch (e) {
    return { ok: false, message: `${path} holds a damaged certificate: ${(e as Error).message}` };
  }
  return f;
}

/** An HTTPS certificate (chain) and its private key, both PEM, that belong together. */
export function checkHttpsFiles(
  certPath: string,
  keyPath: string,
): { ok: true; cert: string; key: string } | { ok: false; message: string } {
  const c = read(certPath, "HTTPS certificate");
  if (!c.ok) return c;
  const k = read(keyPath, "HTTPS key");
  if (!k.ok) return k;
  let leaf: X509Certificate | undefined;
  try {
    leaf = certificates(c.pem)[0];
  } catch (e) {
    return { ok: false, message: `${certPath} holds a damaged certificate: ${(e as Error).message}` };
  }
  if (!leaf) return { ok: false, message: `${certPath} holds no PEM certificate` };
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(k.pem);
  } catch (e) {
    return { ok: false, message: `${keyPath} is not a PEM private key: ${(e as Error).message}` };
  }
  if (!leaf.checkPrivateKey(key)) return { ok: false, message: `${keyPath} is not the key of the certificate in ${certPath}` };
  if (Date.parse(leaf.validTo) < Date.now()) return { ok: false, message: `the certificate in ${certPath} expired on ${leaf.validTo}` };
  return { ok: true, cert: c.pem, key: k.pem };
}
