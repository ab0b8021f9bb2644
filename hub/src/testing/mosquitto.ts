/**
 * Test helper: a real Mosquitto broker on 127.0.0.1 on a port of its own, with a password file,
 * optionally TLS with a certificate authority made for the test (openssl). `restart()` stops and
 * starts the same broker on the same port (a broker restart as people see one).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTestCerts } from "./certs.ts";
import { closedPort } from "./hub-on-disk.ts";
import { listening } from "./listening.ts";

export interface Broker {
  port: number;
  /** The CA certificate (PEM path) clients must trust; with TLS only. */
  caPath: string | null;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function run(argv: string[]): void {
  const r = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${argv[0]} failed: ${r.stderr.toString()}`);
}

export async function startMosquitto(o: { users: Record<string, string>; tls?: boolean }): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), "brewos-mosquitto-"));
  const port = await closedPort();
  const passwd = join(dir, "passwd");
  writeFileSync(passwd, "");
  for (const [u, p] of Object.entries(o.users)) run(["mosquitto_passwd", "-b", passwd, u, p]);
  const certs = o.tls ? makeTestCerts(dir) : null;
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(
    conf,
    [
      // Keep root when started as root (CI): the test's files are in a private temp folder.
      ...(process.getuid?.() === 0 ? ["user root"] : []),
      "per_listener_settings false",
      "persistence false",
      "log_dest stderr",
      "log_type error",
      `listener ${port} 127.0.0.1`,
      "allow_anonymous false",
      `password_file ${passwd}`,
      ...(certs ? [`cafile ${certs.ca}`, `certfile ${certs.cert}`, `keyfile ${certs.key}`] : []),
      "",
    ].join("\n"),
  );
  let proc: ReturnType<typeof Bun.spawn> | null = null;
  const up = async () => {
    proc = Bun.spawn(["mosquitto", "-c", conf], { stdout: "ignore", stderr: "pipe" });
    const deadline = Date.now() + 5000;
    for (;;) {
      if (await listening(port)) return;
      if (Date.now() > deadline) throw new Error(`mosquitto did not listen on 127.0.0.1:${port}`);
      await Bun.sleep(50);
    }
  };
  const down = async () => {
    if (!proc) return;
    proc.kill();
    await proc.exited;
    proc = null;
  };
  await up();
  return {
    port,
    caPath: certs?.ca ?? null,
    restart: async () => {
      await down();
      await up();
    },
    stop: async () => {
      await down();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
