/**
 * Test helper: the hub as its own process (`bun hub/src/main.ts`), on 127.0.0.1 with a free port
 * and mDNS off, resolved once it says where it listens.
 */
import { join } from "node:path";
import type { Subprocess } from "bun";
import { readUntil } from "./read-until.ts";

export const HUB_MAIN = join(import.meta.dir, "..", "main.ts");

export async function spawnHubProcess(
  dataDir: string,
  args: string[],
): Promise<{ proc: Subprocess<"ignore", "pipe", "pipe">; base: string }> {
  const proc = Bun.spawn([process.execPath, HUB_MAIN, ...args, "--data", dataDir, "--port", "0", "--host", "127.0.0.1", "--mdns", "off"], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  try {
    const url = (await readUntil(proc.stdout, /listening on (http\S*:\/\/\S+)/, 20_000))[1] as string;
    return { proc, base: url.replace("localhost", "127.0.0.1") };
  } catch (e) {
    proc.kill();
    throw e;
  }
}
