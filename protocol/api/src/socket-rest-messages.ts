/**
 * @module The hub's check of a REST request that came over the socket (socket-rest.ts has the
 * types); kept apart so the app loads no validator.
 */
import { z } from "zod";
import { SOCKET_REST_MAX_BODY_BYTES, SOCKET_REST_MAX_PATH, SOCKET_REST_METHODS } from "./socket-rest.ts";

export const SocketRestRequestMessage = z.strictObject({
  type: z.literal("http"),
  id: z.string().min(1).max(64),
  method: z.enum(SOCKET_REST_METHODS),
  path: z
    .string()
    .max(SOCKET_REST_MAX_PATH)
    .regex(/^\/api\/[^#\s]*$/, "an /api/… path"),
  body: z.string().max(SOCKET_REST_MAX_BODY_BYTES).optional(),
});
