/** @module The pairing and session request bodies (docs/api/pairing.md), checked by the hub. */
import { z } from "zod";

const b64 = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "must be base64url")
    .length(Math.ceil((bytes * 4) / 3), `must be ${bytes} bytes in base64url`);

export const PairBeginRequest = z.object({ app_public_key: b64(32), app_nonce: b64(16) }).strict();

export const PairFinishRequest = z
  .object({
    app_public_key: b64(32),
    app_nonce: b64(16),
    hub_nonce: b64(16),
    name: z.string().trim().min(1, "name the phone or app").max(60),
    via: z.enum(["typed", "qr"]),
    mac: b64(32),
  })
  .strict();

export const SessionRequest = z
  .object({ app_id: z.string().regex(/^[a-z2-7]{26}$/, "must be an app id"), nonce: z.string().min(1).max(64), signature: b64(64) })
  .strict();

export const WsAuthMessage = z.object({ type: z.literal("auth"), app_id: z.string().regex(/^[a-z2-7]{26}$/), signature: b64(64) }).strict();

export type PairFinishRequest = z.infer<typeof PairFinishRequest>;
