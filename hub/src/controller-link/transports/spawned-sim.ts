/**
 * @module The simulator as a child process speaking the protocol on its stdin/stdout: the demo's
 * machine and the integration tests' machine. Its stderr is kept (last lines) to explain an exit.
 */
import { once, type TransportFactory } from "../transport.ts";

export interface SpawnedSimOptions {
  /** Path of the `brewos-sim` binary. */
  binary: string;
  machine: string;
  /** Simulated seconds per wall second (1 = real time). */
  speed: number;
  /** Extra arguments for `brewos-sim serve`; a function is asked again at each (re)start. */
  args?: string[] | (() => string[]);
  /** Stream the virtual scale's load cell; called with its port each time a simulator announces it. */
  onScalePort?: (port: number) => void;
}

export function spawnedSimTransport(o: SpawnedSimOptions): TransportFactory {
  return async (events) => {
    const argv = [
      o.binary,
      "serve",
      "--machine",
      o.machine,
      "--link",
      "stdio",
      "--speed",
      String(o.speed),
      ...((typeof o.args === "function" ? o.args() : o.args) ?? []),
    ];
    if (o.onScalePort) argv.push("--scale", "tcp:0");
    let proc: ReturnType<typeof Bun.spawn<"pipe", "pipe", "pipe">>;
    try {
      proc = Bun.spawn(argv, { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    } catch (e) {
      throw new Error(`cannot start the simulator (${o.binary}): ${(e as Error).message}`);
    }
    const closed = once(events.onClose);
    let closing = false;
    const stderrTail: string[] = [];
    void (async () => {
      const dec = new TextDecoder();
      const r = proc.stderr.getReader();
      for (;;) {
        const { value, done } = await r.read();
        if (done) break;
        const lines = dec.decode(value).split("\n").filter(Boolean);
        for (const l of lines) {
          const m = /^scale: tcp 127\.0\.0\.1:(\d+)$/.exec(l);
          if (m) o.onScalePort?.(Number(m[1]));
        }
        stderrTail.push(...lines);
        stderrTail.splice(0, Math.max(0, stderrTail.length - 5));
      }
    })();
    void (async () => {
      try {
        const r = proc.stdout.getReader();
        for (;;) {
          const { value, done } = await r.read();
          if (done) break;
          events.onData(value);
        }
      } catch {
        // a broken pipe ends the stream like an exit does
      }
      const code = await proc.exited;
      if (!closing) closed(`simulator exited with ${code}${stderrTail.length ? `: ${stderrTail.join(" | ")}` : ""}`);
    })();
    return {
      describe: `simulator ${o.machine} x${o.speed} (pid ${proc.pid})`,
      write: (bytes) => {
        // A simulator that just died makes the write or the flush fail later (EPIPE): swallow that
        // here, the exit is reported by the stdout loop.
        const ignore = (r: unknown) => {
          if (r instanceof Promise) r.catch(() => {});
        };
        try {
          ignore(proc.stdin.write(bytes));
          ignore(proc.stdin.flush());
        } catch {
          // the exit is reported by the stdout loop
        }
      },
      close: async () => {
        closing = true;
        proc.kill();
        await proc.exited;
      },
    };
  };
}
