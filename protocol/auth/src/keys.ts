/**
 * @module Ed25519 keys for hubs and apps (pure JavaScript, so the app can sign on a plain-HTTP LAN
 * page where WebCrypto is not available), and the self-certifying ids made from them: the first
 * 128 bits of SHA-256 of the public key in base32 (26 characters). Anyone holding a public key can
 * check the id it claims; nobody can choose a key for someone else's id.
 */
import * as ed from "@noble/ed25519";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { toBase32 } from "./encoding.ts";

ed.hashes.sha512 = sha512;

export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

export interface KeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** A new key pair; `seed` (32 bytes) makes it deterministic (stored keys, golden vectors). */
export function keyPair(seed?: Uint8Array): KeyPair {
  const secretKey = seed ?? ed.utils.randomSecretKey();
  return { secretKey, publicKey: ed.getPublicKey(secretKey) };
}

export function sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return ed.sign(message, secretKey);
}

/** False for a bad signature and for malformed keys or signatures (never throws). */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) return false;
  try {
    return ed.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

/** Who can sign without handing out the secret (the hub's identity keeps its key to itself). */
export interface Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export function signerFor(keys: KeyPair): Signer {
  return { publicKey: keys.publicKey, sign: (m) => sign(m, keys.secretKey) };
}

/** The id a public key certifies (hub device ids and app ids alike). */
export function idForPublicKey(publicKey: Uint8Array): string {
  return toBase32(sha256(publicKey).slice(0, 16));
}

export const ID_PATTERN = /^[a-z2-7]{26}$/;
