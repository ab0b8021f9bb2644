/**
 * @module Which hub this app talks to. Defaults to the page's own origin (the hub serves the app),
 * else `brewos.local`; remembers every machine the person connected to.
 */

export interface KnownMachine {
  url: string;
  name: string;
}

const KEY = "brewos.machines";
const CURRENT = "brewos.current";

export function normaliseHubUrl(input: string): string | null {
  const text = input.trim();
  if (!text) return null;
  const withScheme = /^https?:\/\//i.test(text) ? text : `${location.protocol === "https:" ? "https" : "http"}://${text}`;
  try {
    const u = new URL(withScheme);
    if (u.pathname !== "/" || u.search || u.hash) return null;
    return u.origin;
  } catch {
    return null;
  }
}

export function knownMachines(): KnownMachine[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? "[]") as KnownMachine[];
    return Array.isArray(v) ? v.filter((m) => typeof m.url === "string") : [];
  } catch {
    return [];
  }
}

export function rememberMachine(m: KnownMachine): void {
  const rest = knownMachines().filter((x) => x.url !== m.url);
  localStorage.setItem(KEY, JSON.stringify([m, ...rest].slice(0, 10)));
  localStorage.setItem(CURRENT, m.url);
}

export function forgetMachine(url: string): void {
  localStorage.setItem(KEY, JSON.stringify(knownMachines().filter((x) => x.url !== url)));
  if (localStorage.getItem(CURRENT) === url) localStorage.removeItem(CURRENT);
}

/** The hub to use now: the one chosen last, else this page's origin. */
export function currentHubUrl(): string {
  return localStorage.getItem(CURRENT) ?? location.origin;
}

/** Where to look when nothing answers at the page's origin. */
export const FALLBACK_HUB = "http://brewos.local";
