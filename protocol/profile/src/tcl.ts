/**
 * @module Reads Tcl list text as de1app writes profile files: whitespace-separated words, where a
 * word is bare, "quoted" or {braced} (braces nest, nothing inside is substituted). Only the list
 * syntax — no commands, variables or brackets are evaluated, so an untrusted file is just data.
 */
import { ProfileError } from "./validate.ts";

const SPACE = /\s/;

/** Split Tcl list text into its words, or throw ProfileError saying where it is malformed. */
export function tclList(text: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && SPACE.test(text[i] ?? "")) i++;
    if (i >= text.length) break;
    const c = text[i];
    if (c === "{") {
      let depth = 1;
      const start = ++i;
      while (i < text.length && depth > 0) {
        const ch = text[i];
        if (ch === "\\") i++;
        else if (ch === "{") depth++;
        else if (ch === "}") depth--;
        i++;
      }
      if (depth > 0) throw new ProfileError(`unbalanced braces in Tcl text (the brace at character ${start} never closes)`);
      words.push(text.slice(start, i - 1));
    } else if (c === '"') {
      let word = "";
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        word += text[i];
        i++;
      }
      if (i >= text.length) throw new ProfileError("unterminated quote in Tcl text");
      i++;
      words.push(word);
    } else {
      let word = "";
      while (i < text.length && !SPACE.test(text[i] ?? "")) {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        word += text[i];
        i++;
      }
      words.push(word);
    }
  }
  return words;
}

/** A Tcl dict (key value key value …) as an object; a later key wins, as in Tcl. */
export function tclDict(text: string): Record<string, string> {
  const words = tclList(text);
  if (words.length % 2 !== 0) throw new ProfileError("Tcl key/value text has a key without a value");
  const out: Record<string, string> = {};
  for (let k = 0; k < words.length; k += 2) out[words[k] ?? ""] = words[k + 1] ?? "";
  return out;
}
