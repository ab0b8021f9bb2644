/** @module One error shape for every REST and WebSocket failure: a stable code and a sentence for people. */
import type { ApiErrorBody } from "@brewos/protocol/api";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type { ApiErrorBody };

export function apiError(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  issues?: ApiErrorBody["error"]["issues"],
) {
  const body: ApiErrorBody = { error: { code, message, ...(issues ? { issues } : {}) } };
  return c.json(body, status);
}

/** HTTP status for a command the machine or link refused. */
export function statusForRefusal(code: string): ContentfulStatusCode {
  if (code === "link_down" || code === "no_ack" || code === "stopped") return 503;
  if (code === "invalid_field") return 422;
  if (code === "rate_limited") return 429;
  return 409;
}
