/**
 * @module Test helper: `brewos-sim serve --link tcp:0` on a port the OS picked, resolved once the
 * simulator has announced it is listening (no guessed ports, no fixed waits).
 */
import { SIM_BINARY } from "./hub-on-disk.ts";

export interface TcpSim {
  port: number;
  stop: () => Promise<void>;
}

/** Start a simulator listening on 127.0.0.1; rejects if it exits or stays silent for `ms`. */
export async function spawnTcpSim(machine: string, speed: number, ms = 10000): Promise<TcpSim> {
  const proc = Bun.spawn([SIM_BINARY, "serve", "--machine", machine, "--link", "tcp:0", "--speed", String(speed)], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "ignore",
  });
  const stop = async () => {
    proc.kill();
    await proc.exited;
  };
  const reader = proc.stdout.getReader();
  const timer = setTimeout(() => proc.kill(), ms);
  let text = "";
  try {
    for (;;) {
      const m = /^tcp: tcp 127\.0\.0\.1:(\d+)$/m.exec(text);
      if (m) return { port: Number(m[1]), stop };
      const chunk = await reader.read();
      if (chunk.done) throw new Error(`brewos-sim exited before listening (status ${await proc.exited}): ${text}`);
      text += new TextDecoder().decode(chunk.value);
    }
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}
