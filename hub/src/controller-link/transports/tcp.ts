/** @module TCP transport: the simulator's `--link tcp:PORT`, or a serial-to-network bridge. */
import { createConnection } from "node:net";
import { once, type TransportFactory } from "../transport.ts";

export function tcpTransport(host: string, port: number, connectTimeoutMs = 2000): TransportFactory {
  return (events) =>
    new Promise((resolve, reject) => {
      const socket = createConnection({ host, port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`tcp ${host}:${port}: no connection within ${connectTimeoutMs} ms`));
      }, connectTimeoutMs);
      const closed = once(events.onClose);
      let open = false;
      let closing = false;
      let ended = false;
      socket.once("connect", () => {
        clearTimeout(timer);
        open = true;
        resolve({
          describe: `tcp ${host}:${port}`,
          write: (bytes) => {
            socket.write(bytes);
          },
          close: () =>
            new Promise<void>((done) => {
              closing = true;
              if (ended)
                done(); // the far side closed it first: no close event is coming
              else socket.once("close", () => done());
              socket.destroy();
            }),
        });
      });
      socket.on("data", (d: Buffer) => events.onData(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)));
      socket.on("error", (e: NodeJS.ErrnoException) => {
        if (!open) {
          clearTimeout(timer);
          reject(new Error(`tcp ${host}:${port}: ${e.code ?? e.message}`));
        }
      });
      socket.on("close", () => {
        ended = true;
        if (open && !closing) closed(`tcp ${host}:${port} closed by the far side`);
      });
    });
}
