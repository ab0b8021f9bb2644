/**
 * The German catalogue is complete: every message the sources pass to `t("…")` (and every word
 * table translated at its use: alarms, machine states, stop reasons, state details) has a German
 * text with the same named values; nothing in the catalogue is left over. Also: the language
 * follows the browser unless chosen, and numbers are written the language's way.
 */
import { afterEach, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ALARM_TEXTS } from "../shared/alarms.ts";
import { STATE_WORDS, STOP_WORDS } from "../shared/format.ts";
import { usePreferences } from "../shared/preferences.ts";
import { GERMAN } from "./catalogue.ts";
import { browserLanguage, decimal, t } from "./i18n.ts";
import { TABLES } from "./tables.ts";

afterEach(() => usePreferences.getState().set({ language: "auto" }));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(f) && !/\.test\.(ts|tsx)$/.test(f) ? [p] : [];
  });
}

/** Every literal message in a `t("…")` call, with JSON-style escapes undone. */
function messagesInSources(): Set<string> {
  const found = new Set<string>();
  const call = /\bt\(\s*("(?:[^"\\]|\\.)*")/g;
  for (const f of sources(join(import.meta.dir, ".."))) {
    for (const m of readFileSync(f, "utf8").matchAll(call)) found.add(JSON.parse(m[1] as string));
  }
  return found;
}

const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("every message has a German text with the same named values, and the catalogue has nothing unused", () => {
  const used = messagesInSources();
  for (const a of ALARM_TEXTS) used.add(a.title).add(a.action);
  for (const w of [...Object.values(STATE_WORDS), ...Object.values(STOP_WORDS), ...TABLES]) used.add(w);
  expect(used.size).toBeGreaterThan(300);
  const missing = [...used].filter((m) => !(m in GERMAN));
  expect(missing).toEqual([]);
  const unused = Object.keys(GERMAN).filter((k) => !used.has(k));
  expect(unused).toEqual([]);
  const mismatched = Object.entries(GERMAN).filter(([en, de]) => names(en).join() !== names(de).join());
  expect(mismatched).toEqual([]);
});

test("the language follows the browser unless the owner chose one; numbers are written its way", () => {
  expect(browserLanguage(["de-AT", "en"])).toBe("de");
  expect(browserLanguage(["fr-FR", "en-GB"])).toBe("en");
  expect(browserLanguage(["fr-FR"])).toBe("en");
  usePreferences.getState().set({ language: "de" });
  expect(t("Turn on")).toBe("Einschalten");
  expect(t("Ready in about {time}", { time: "2 min" })).toBe("Bereit in etwa 2 min");
  expect(decimal(93.5, 1)).toBe("93,5");
  usePreferences.getState().set({ language: "en" });
  expect(t("Turn on")).toBe("Turn on");
  expect(decimal(93.5, 1)).toBe("93.5");
});
