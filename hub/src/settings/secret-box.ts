/**
 * @module Secrets at rest (the MQTT password): sealed with AES-256-GCM under a key kept in its own
 * file beside the database (`secret.key`, 0600), so the database alone — copied for a bug report,
 * synced by a backup tool, read by another user of the board — gives nothing away. It does not
 * protect against someone who can read the whole data folder as the hub's user: the hub must be
 * able to use the password, so a thief of both files can too (docs/security.md).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const PREFIX = "sealed:v1:";

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /**
   * The data folder's key, made on first use. A damaged key file is moved aside and a new key made
   * (the hub still starts; a password sealed with the old key must then be entered again).
   */
  static inFolder(dir: string, log?: (level: "info" | "warn", text: string) => void): SecretBox {
    const path = join(dir, "secret.key");
    if (existsSync(path)) {
      chmodSync(path, 0o600);
      const key = Buffer.from(readFileSync(path, "utf8").trim(), "base64");
      if (key.length === 32) return new SecretBox(key);
      const aside = `${path}.damaged-${Date.now()}`;
      renameSync(path, aside);
      log?.("warn", `secrets: ${path} is not a BrewOS secret key; moved to ${aside} and made a new one — enter the MQTT password again`);
    }
    const key = randomBytes(32);
    writeFileSync(path, key.toString("base64"), { mode: 0o600, flag: "wx" });
    return new SecretBox(key);
  }

  seal(plain: string): string {
    if (plain === "") return "";
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
    return PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString("base64");
  }

  /** The plain text; a value stored before sealing existed is returned as it is (sealed on the next save). */
  unseal(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const raw = Buffer.from(stored.slice(PREFIX.length), "base64");
    const d = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString("utf8");
  }
}
