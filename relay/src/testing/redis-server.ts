/**
 * Test helper: a real redis-server on 127.0.0.1 on a port of its own, nothing on disk (no RDB, no
 * AOF), stopped after the test.
 */
import { closedPort } from "../../../hub/src/testing/hub-on-disk.ts";
import { listening } from "../../../hub/src/testing/listening.ts";

export interface RedisServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await closedPort();
  const proc = Bun.spawn(["redis-server", "--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no"], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const deadline = Date.now() + 5000;
  for (;;) {
    if (await listening(port)) break;
    if (Date.now() > deadline || proc.exitCode !== null) {
      proc.kill();
      throw new Error(`redis-server did not start on ${port}: ${await new Response(proc.stderr).text()}`);
    }
    await Bun.sleep(20);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: proc.pid,
    stop: async () => {
      proc.kill();
      await proc.exited;
    },
  };
}
