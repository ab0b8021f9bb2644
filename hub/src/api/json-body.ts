/** @module A request's JSON body, or NOT_JSON when it is not JSON (a 400 for the caller to give). */
import type { Context } from "hono";

export const NOT_JSON = Symbol("not JSON");

export async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return NOT_JSON;
  }
}
