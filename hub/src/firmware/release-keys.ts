/**
 * @module The BrewOS release keys a hub trusts for controller firmware (Ed25519 public keys, hex).
 * Empty until the project's offline release key exists: until then a hub updates a controller only
 * with keys given to it (`--release-key`), and on the simulator with the data folder's development
 * key (`npm run controller-release`). See docs/controller-updates.md.
 */
export const BREWOS_RELEASE_KEYS_HEX: readonly string[] = [];

/** Name of the development key in a data folder (trusted only for the simulated board). */
export const DEV_KEY_FILE = "dev-release.key";
