/**
 * @module A scripted hub on a display socket, for pictures that must not move: it sends the /ws
 * messages a test gives it and records what the display sends. (The touch flow runs against the
 * real hub on the simulator; this one fixes every number on the screen.)
 */
import { existsSync, rmSync } from "node:fs";
import type { Socket, UnixSocketListener } from "bun";
import { lineSplitter } from "../../hub/src/display/line-splitter.ts";

export class FakeDisplayHub {
  readonly received: Record<string, unknown>[] = [];
  private socket: Socket<undefined> | null = null;
  private readonly push = lineSplitter((line) => {
    const m = JSON.parse(line) as Record<string, unknown>;
    this.received.push(m);
    const a = m.type === "http" ? this.answers.get(String(m.id)) : undefined;
    if (a) this.send({ type: "http_result", id: m.id, status: a.status, content_type: "application/json", body: JSON.stringify(a.body) });
  });
  private readonly listener: UnixSocketListener<undefined>;
  /** Answers the display's requests (socket REST) by id; absent: no answer. */
  answers = new Map<string, { status: number; body: object }>();

  constructor(readonly path: string) {
    if (existsSync(path)) rmSync(path);
    this.listener = Bun.listen<undefined>({
      unix: path,
      socket: {
        open: (s) => {
          this.socket = s;
        },
        data: (_s, data) => {
          this.push(data);
        },
        close: () => {
          this.socket = null;
        },
      },
    });
  }

  get connected(): boolean {
    return this.socket !== null;
  }

  send(m: object): void {
    this.socket?.write(`${JSON.stringify(m)}\n`);
  }

  async untilConnected(ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!this.socket) {
      if (Date.now() > end) throw new Error("the display did not connect");
      await Bun.sleep(20);
    }
  }

  /** The hub goes away: the socket closed and no longer listening. */
  stop(): void {
    this.socket?.end();
    this.listener.stop(true);
    if (existsSync(this.path)) rmSync(this.path);
  }
}
