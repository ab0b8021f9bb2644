/**
 * @module Serial transport for the controller's UART on a raw tty (or a PTY) at 921600 baud.
 * No serialport package (it crashes under Bun): the line is set raw with `stty`, then read as a
 * file stream and written with writeSync. EIO/EBADF on read is the far side going away (a USB
 * adapter unplugged, a PTY's master closed) and is reported as a close, never thrown.
 */
import { createReadStream, openSync, writeSync } from "node:fs";
import { once, type TransportFactory } from "../transport.ts";

export const UART_BAUD = 921600;

export function ttyTransport(path: string, baud = UART_BAUD): TransportFactory {
  return async (events) => {
    const stty = Bun.spawnSync(["stty", "-F", path, "raw", "-echo", "-hupcl", "clocal", String(baud)], { stderr: "pipe" });
    if (stty.exitCode !== 0) {
      throw new Error(
        `tty ${path}: cannot set raw ${baud} baud: ${new TextDecoder().decode(stty.stderr).trim() || `stty exited ${stty.exitCode}`}`,
      );
    }
    let fd: number;
    try {
      fd = openSync(path, "r+");
    } catch (e) {
      throw new Error(`tty ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const closed = once(events.onClose);
    let closing = false;
    // The stream owns the fd: it closes it once no read is pending, so a read still in flight can never
    // land on a file that reused the number after a close of our own.
    const stream = createReadStream("", { fd, autoClose: true, highWaterMark: 4096 });
    const streamClosed = new Promise<void>((resolve) => stream.once("close", () => resolve()));
    stream.on("data", (d) => {
      const b = d as Buffer;
      events.onData(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    });
    const lost = (why: string) => {
      if (!closing) closed(`tty ${path}: ${why}`);
    };
    stream.on("error", (e: NodeJS.ErrnoException) =>
      lost(e.code === "EIO" || e.code === "EBADF" ? "device went away" : (e.code ?? e.message)),
    );
    stream.on("end", () => lost("end of stream"));
    return {
      describe: `tty ${path} @${baud}`,
      write: (bytes) => {
        try {
          writeSync(fd, bytes);
        } catch (e) {
          lost(`write failed: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
      },
      close: async () => {
        closing = true;
        stream.destroy();
        await streamClosed;
      },
    };
  };
}
