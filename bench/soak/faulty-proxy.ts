/**
 * A TCP proxy on 127.0.0.1 that flips bits in a share of the bytes passing it (both ways), and can
 * cut its connections on demand — the noisy cable and the scale that walks out of range, between
 * real programs.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export interface FaultyProxy {
  port: number;
  /** Bytes corrupted so far. */
  corrupted(): number;
  /** Close every connection now (the peers reconnect on their own). */
  cut(): void;
  stop(): Promise<void>;
}

export async function faultyProxy(targetPort: number, corruptShare: number, seed = 1): Promise<FaultyProxy> {
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: the same faults for the same seed
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  let flipped = 0;
  const open = new Set<Socket>();
  const spoil = (chunk: Buffer): Buffer => {
    if (corruptShare <= 0) return chunk;
    const out = Buffer.from(chunk);
    for (let i = 0; i < out.length; i++) {
      if (random() < corruptShare) {
        out[i] = (out[i] as number) ^ (1 << Math.floor(random() * 8));
        flipped++;
      }
    }
    return out;
  };
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    open.add(client);
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("data", (d) => upstream.write(spoil(d as Buffer)));
    upstream.on("data", (d) => client.write(spoil(d as Buffer)));
    for (const s of [client, upstream]) {
      s.on("error", end);
      s.on("close", end);
    }
  });
  const port = await new Promise<number>((r) => server.listen(0, "127.0.0.1", () => r((server.address() as { port: number }).port)));
  return {
    port,
    corrupted: () => flipped,
    cut: () => {
      for (const s of open) s.destroy();
      open.clear();
    },
    stop: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}
