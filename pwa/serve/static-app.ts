/**
 * @module Serving the built app: every file is read and compressed once at start (brotli and gzip
 * kept in memory; the app is small), answered with the best encoding the browser accepts, an ETag,
 * and cache rules that make updates safe: hashed assets are immutable for a year, `index.html`,
 * `sw.js` and the manifest are revalidated on every load. Paths without a file extension fall back
 * to `index.html` (client-side routes). Nothing outside the app folder can be reached. The hub
 * serves the app this way on the LAN, and the relay at its own origin for phones away from home.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json",
};
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".webmanifest", ".svg", ".txt", ".map"]);
/** Vite-style content hash in the file name: name-HASH.ext */
const HASHED = /[-.][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
const REVALIDATE = new Set(["/index.html", "/sw.js", "/manifest.webmanifest", "/registerSW.js"]);

interface Entry {
  raw: Uint8Array<ArrayBuffer>;
  br: Uint8Array<ArrayBuffer> | null;
  gz: Uint8Array<ArrayBuffer> | null;
  type: string;
  etag: string;
  cache: string;
}

export class StaticApp {
  private readonly files = new Map<string, Entry>();

  constructor(readonly root: string) {
    if (existsSync(root)) this.load(root);
  }

  get built(): boolean {
    return this.files.has("/index.html");
  }

  get fileCount(): number {
    return this.files.size;
  }

  private load(dir: string): void {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        this.load(full);
        continue;
      }
      const url = `/${relative(this.root, full).split(sep).join("/")}`;
      const raw = new Uint8Array(readFileSync(full));
      const ext = extname(name).toLowerCase();
      const squeeze = COMPRESSIBLE.has(ext) && raw.length >= 256;
      this.files.set(url, {
        raw,
        br: squeeze ? new Uint8Array(brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })) : null,
        gz: squeeze ? new Uint8Array(gzipSync(raw, { level: 9 })) : null,
        type: TYPES[ext] ?? "application/octet-stream",
        etag: `"${createHash("sha1").update(raw).digest("base64url").slice(0, 20)}"`,
        cache: REVALIDATE.has(url) || !HASHED.test(name) ? "no-cache" : "public, max-age=31536000, immutable",
      });
    }
  }

  /** Answer a GET for the app, or null when the path is not the app's. */
  serve(req: Request): Response | null {
    let path = decodeURIComponent(new URL(req.url).pathname);
    if (path.includes("\0") || path.split("/").includes("..")) return null;
    if (path === "/") path = "/index.html";
    let e = this.files.get(path);
    if (!e && extname(path) === "") e = this.files.get("/index.html"); // client-side route
    if (!e) return null;
    const headers: Record<string, string> = { "content-type": e.type, etag: e.etag, "cache-control": e.cache, vary: "accept-encoding" };
    if (req.headers.get("if-none-match") === e.etag) return new Response(null, { status: 304, headers });
    const accept = req.headers.get("accept-encoding") ?? "";
    if (e.br && /\bbr\b/.test(accept)) return new Response(e.br, { headers: { ...headers, "content-encoding": "br" } });
    if (e.gz && /\bgzip\b/.test(accept)) return new Response(e.gz, { headers: { ...headers, "content-encoding": "gzip" } });
    return new Response(e.raw, { headers });
  }
}
