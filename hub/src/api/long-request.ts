/** @module Requests that may take minutes (backups): Bun's idle timeout lifted for them alone. */
import type { Context } from "hono";

/**
 * A backup may wait in the lane and then stream for minutes: lift Bun's idle timeout (10 s by
 * default) for this request only. A no-op without a Bun server (requests made in-process).
 */
export function longRequest(c: Context): void {
  (c.env as { timeout?: (req: Request, seconds: number) => void } | undefined)?.timeout?.(c.req.raw, 0);
}
