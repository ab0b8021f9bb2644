/**
 * @module A controller firmware release as a hub release carries it: a folder with
 * `controller-release.json` and the image it names. The manifest is signed with Ed25519 by a
 * BrewOS release key; the hub offers an image only when the signature, size and SHA-256 check out
 * and the image speaks this hub's protocol major (so the hub can always talk to what it flashed:
 * hub first, then controller — the order is enforced here, not left to the owner).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { fromBase64Url, sign, toBase64Url, utf8, verify } from "@brewos/protocol/auth";
import { PROTOCOL_VERSION_MAJOR } from "@brewos/protocol/uart";
import { z } from "zod";

export const MANIFEST_FILE = "controller-release.json";

const VERSION_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

const Manifest = z
  .object({
    board: z.enum(["sim", "pico2"]),
    version: z.string().regex(VERSION_RE),
    proto_major: z.number().int().min(1).max(255),
    image: z.string().min(1).max(200),
    size: z.number().int().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    notes: z.string().max(4000),
    signature: z.string().min(1).max(200),
  })
  .strict();
export type ReleaseManifest = z.infer<typeof Manifest>;

export interface ControllerRelease {
  manifest: ReleaseManifest;
  /** major << 16 | minor << 8 | patch, as the controller and its boot ROM compare them. */
  version: number;
  image: Uint8Array;
  sha256: Uint8Array;
}

/** "0.2.0" → 0x000200; null when it is not three numbers of 0..255. */
export function parseVersion(text: string): number | null {
  const m = VERSION_RE.exec(text);
  if (!m) return null;
  const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (a > 255 || b > 255 || c > 255) return null;
  return (a << 16) | (b << 8) | c;
}

export function versionText(v: number): string {
  return `${(v >> 16) & 0xff}.${(v >> 8) & 0xff}.${v & 0xff}`;
}

/** The bytes a release key signs: every field the hub acts on, in a fixed order. */
export function releaseMessage(m: Omit<ReleaseManifest, "signature" | "image" | "notes"> & { notes: string }): Uint8Array {
  return utf8(`BrewOS controller release v1\n${JSON.stringify([m.board, m.version, m.proto_major, m.size, m.sha256, m.notes])}`);
}

/** Write-side helper for the release tool and tests: the manifest for `image`, signed. */
export function signRelease(
  image: Uint8Array,
  o: { board: ReleaseManifest["board"]; version: string; notes: string; imageFile: string; secretKey: Uint8Array; protoMajor?: number },
): ReleaseManifest {
  const unsigned = {
    board: o.board,
    version: o.version,
    proto_major: o.protoMajor ?? PROTOCOL_VERSION_MAJOR,
    size: image.length,
    sha256: createHash("sha256").update(image).digest("hex"),
    notes: o.notes,
  };
  return { ...unsigned, image: basename(o.imageFile), signature: toBase64Url(sign(releaseMessage(unsigned), o.secretKey)) };
}

export type ReleaseCheck = { ok: true; release: ControllerRelease } | { ok: false; code: string; message: string };

const refuse = (code: string, message: string): ReleaseCheck => ({ ok: false, code, message });

/** Read and check the release in `dir` against the trusted release keys. Never throws. */
export function loadRelease(dir: string, keys: readonly Uint8Array[], board: ReleaseManifest["board"]): ReleaseCheck {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return refuse("none", `no ${MANIFEST_FILE} in ${dir}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    return refuse("bad_manifest", `${path}: ${(e as Error).message}`);
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return refuse("bad_manifest", `${path}: ${i?.path.join(".") || "(manifest)"}: ${i?.message}`);
  }
  const m = parsed.data;
  const version = parseVersion(m.version);
  if (version === null || version === 0) return refuse("bad_manifest", `${path}: version ${m.version} is not X.Y.Z of 0..255`);
  const signature = fromBase64Url(m.signature) ?? new Uint8Array();
  const message = releaseMessage(m);
  if (!keys.some((k) => verify(signature, message, k))) {
    return refuse("bad_signature", "the release is not signed by a trusted BrewOS release key");
  }
  if (m.board !== board) return refuse("wrong_board", `the release is for the ${m.board} board, this controller is ${board}`);
  if (m.proto_major !== PROTOCOL_VERSION_MAJOR) {
    return refuse(
      "wrong_order",
      `the image speaks protocol ${m.proto_major}, this hub ${PROTOCOL_VERSION_MAJOR}: update the hub first, then the controller`,
    );
  }
  const imagePath = join(dir, basename(m.image));
  if (!existsSync(imagePath)) return refuse("no_image", `${m.image} is missing from ${dir}`);
  const image = new Uint8Array(readFileSync(imagePath));
  const sha256 = createHash("sha256").update(image).digest();
  if (image.length !== m.size || sha256.toString("hex") !== m.sha256) {
    return refuse("damaged", `${m.image} does not match its signed size and SHA-256 (damaged or replaced)`);
  }
  return { ok: true, release: { manifest: m, version, image, sha256: new Uint8Array(sha256) } };
}

/** loadRelease, read again only when the manifest changes (view() asks often during an update). */
export function watchedRelease(dir: string, keys: readonly Uint8Array[], board: ReleaseManifest["board"]): () => ReleaseCheck {
  let stamp = "";
  let last: ReleaseCheck = refuse("none", `no ${MANIFEST_FILE} in ${dir}`);
  return () => {
    let now = "none";
    try {
      const s = statSync(join(dir, MANIFEST_FILE));
      now = `${s.mtimeMs}:${s.size}`;
    } catch {
      // no manifest: "none"
    }
    if (now !== stamp) {
      stamp = now;
      last = loadRelease(dir, keys, board);
    }
    return last;
  };
}
