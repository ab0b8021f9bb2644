/**
 * @module The hub's Ed25519 identity: a key pair made on first start and kept in `identity.key`
 * (0600) in the data folder, apart from the database; its device id is derived from the public
 * key, so apps and the relay can check it (docs/security.md).
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fromHex, idForPublicKey, type KeyPair, keyPair, sign, toBase64Url, toHex } from "@brewos/protocol/auth";

export class HubIdentity {
  readonly deviceId: string;
  readonly publicKey: Uint8Array;
  readonly publicKeyText: string;

  private constructor(private readonly keys: KeyPair) {
    this.publicKey = keys.publicKey;
    this.deviceId = idForPublicKey(keys.publicKey);
    this.publicKeyText = toBase64Url(keys.publicKey);
  }

  /**
   * The data folder's identity, made on first use. A damaged key file is moved aside (kept for
   * whoever wants to look) and a new identity made, so the hub still comes up; apps then pair again.
   */
  static inFolder(dir: string, log?: (level: "info" | "warn", text: string) => void): HubIdentity {
    const path = join(dir, "identity.key");
    if (existsSync(path)) {
      chmodSync(path, 0o600);
      const text = readFileSync(path, "utf8").trim();
      if (/^[0-9a-f]{64}$/.test(text)) return new HubIdentity(keyPair(fromHex(text)));
      const aside = `${path}.damaged-${Date.now()}`;
      renameSync(path, aside);
      log?.("warn", `identity: ${path} is not a BrewOS identity key; moved to ${aside} and made a new one — every app must pair again`);
    }
    const seed = crypto.getRandomValues(new Uint8Array(32));
    writeFileSync(path, `${toHex(seed)}\n`, { mode: 0o600, flag: "wx" });
    return new HubIdentity(keyPair(seed));
  }

  sign(message: Uint8Array): Uint8Array {
    return sign(message, this.keys.secretKey);
  }
}
