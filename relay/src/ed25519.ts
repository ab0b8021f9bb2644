/** @module Ed25519 checks on the relay, through the platform's native WebCrypto (a connect storm is bound by them). */

/** Ed25519 through the platform's WebCrypto (native); false for anything malformed. */
export async function verifyNative(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  try {
    const bytes = (b: Uint8Array) => Uint8Array.from(b); // WebCrypto wants its own ArrayBuffer-backed copy
    const key = await crypto.subtle.importKey("raw", bytes(publicKey), { name: "Ed25519" }, false, ["verify"]);
    return await crypto.subtle.verify("Ed25519", key, bytes(signature), bytes(message));
  } catch {
    return false;
  }
}
