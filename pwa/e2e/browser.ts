/**
 * Browser end-to-end harness: Debian's Chromium driven by playwright-core (no browser download),
 * a real hub on the simulator serving the built app from pwa/dist, and axe-core for accessibility.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const APP_DIR = join(import.meta.dir, "..", "dist");
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function requireBuiltApp(): void {
  if (!existsSync(join(APP_DIR, "index.html"))) throw new Error("pwa/dist is missing: build the app first (npm run build -w pwa)");
}

/**
 * Debian's Chromium, headless; `extraArgs` add switches (a host-resolver map for attack tests);
 * `home`: its HOME, whose ~/.pki/nssdb is the certificate store it trusts.
 */
export function launch(extraArgs: string[] = [], home?: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    ...(home ? { env: { ...process.env, HOME: home } } : {}),
  });
}

/** Chromium with a real (not incognito) profile in `userDataDir`: what installing an app needs. */
export function launchProfile(userDataDir: string, extraArgs: string[] = [], home?: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    viewport: { width: 390, height: 844 },
    ...(home ? { env: { ...process.env, HOME: home } } : {}),
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
  /** CSS selectors of the first few offending elements. */
  targets: string[];
}

/** Runs axe-core (WCAG 2 A and AA rules) on the page as it is now. */
export async function axe(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const w = window as unknown as {
      axe: {
        run: (
          ctx: Document,
          o: unknown,
        ) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }>;
      };
    };
    const r = await w.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
}

export const serious = (f: AxeFinding[]) => f.filter((x) => x.impact === "serious" || x.impact === "critical");
