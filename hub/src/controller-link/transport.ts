/**
 * @module The byte pipe between hub and controller. A transport only moves bytes and reports
 * that it closed; framing, hello and retries live in the supervisor, so every transport (spawned
 * simulator, serial tty or PTY, TCP) behaves the same above this seam.
 */

export interface TransportEvents {
  /** Bytes as they arrived (any chunking). */
  onData(chunk: Uint8Array): void;
  /** The far side went away or the pipe failed; called at most once. `reason` is for people. */
  onClose(reason: string): void;
}

export interface Transport {
  /** What this is connected to, for logs and link health ("tcp 127.0.0.1:7878"). */
  readonly describe: string;
  write(bytes: Uint8Array): void;
  /** Close from our side; resolves when the pipe is released. onClose is not called for this. */
  close(): Promise<void>;
}

/** Opens one connection; rejects with a readable Error when it cannot. */
export type TransportFactory = (events: TransportEvents) => Promise<Transport>;

/** Calls `fn` once, whatever path reports the close first. */
export function once(fn: (reason: string) => void): (reason: string) => void {
  let done = false;
  return (reason) => {
    if (done) return;
    done = true;
    fn(reason);
  };
}
