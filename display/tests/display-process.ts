/**
 * @module The display program (build/display/brewos-display) run headless for tests and the bench:
 * its stdin commands and stdout answers (display/linux/main.c), the screens it reports.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { lineSplitter } from "../../hub/src/display/line-splitter.ts";

export const DISPLAY_BINARY = join(import.meta.dir, "..", "..", "build", "display", "brewos-display");

export function requireDisplayBinary(): void {
  if (!existsSync(DISPLAY_BINARY))
    throw new Error(
      `${DISPLAY_BINARY} is missing: cmake -S display -B build/display -DBREWOS_VENDOR_DIR=$PWD/../shared/vendor && cmake --build build/display -j2 (npm test builds it)`,
    );
}

export class DisplayProcess {
  readonly screens: { name: string; atMs: number }[] = [];
  private waiting: ((line: string) => void) | null = null;
  private constructor(private readonly proc: Subprocess<"pipe", "pipe", "pipe">) {}

  static start(socketPath: string, size = "480x480", extra: string[] = []): DisplayProcess {
    requireDisplayBinary();
    const proc = Bun.spawn([DISPLAY_BINARY, "--socket", socketPath, "--size", size, "--headless", ...extra], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
    const d = new DisplayProcess(proc);
    void d.read();
    return d;
  }

  private async read(): Promise<void> {
    const push = lineSplitter((line) => {
      if (line.startsWith("screen ")) this.screens.push({ name: line.slice(7), atMs: Date.now() });
      else if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(line);
      }
    });
    const reader = this.proc.stdout.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      push(value);
    }
  }

  get screen(): string {
    return this.screens.at(-1)?.name ?? "";
  }

  /** One command, its one-line answer. */
  async command(line: string, timeoutMs = 5000): Promise<string> {
    if (this.waiting) throw new Error("one command at a time");
    const answer = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`display: no answer to "${line}" within ${timeoutMs} ms`)), timeoutMs);
      this.waiting = (l) => {
        clearTimeout(timer);
        resolve(l);
      };
    });
    this.proc.stdin.write(`${line}\n`);
    this.proc.stdin.flush();
    const got = await answer;
    if (got.startsWith("error ")) throw new Error(`display: ${got}`);
    return got;
  }

  async text(name: string): Promise<string> {
    return (await this.command(`text ${name}`)).replace(/^text /, "").replace(/\\(n|\\)/g, (_m, c: string) => (c === "n" ? "\n" : "\\"));
  }

  async enabled(name: string): Promise<boolean> {
    return (await this.command(`enabled ${name}`)) === "enabled 1";
  }

  async press(name: string): Promise<void> {
    await this.command(`press ${name}`);
  }

  async png(path: string): Promise<void> {
    await this.command(`png ${path}`);
  }

  /** Until the screen on top is `name`; the time it took. */
  async untilScreen(name: string, timeoutMs: number): Promise<number> {
    const t0 = Date.now();
    while (this.screen !== name) {
      if (Date.now() - t0 > timeoutMs)
        throw new Error(`display: not on ${name} within ${timeoutMs} ms (screens: ${this.screens.map((s) => s.name).join(" → ")})`);
      await Bun.sleep(20);
    }
    return Date.now() - t0;
  }

  /** Until a label reads what `ok` accepts. */
  async untilText(name: string, ok: (text: string) => boolean, timeoutMs: number): Promise<string> {
    const t0 = Date.now();
    for (;;) {
      const t = await this.text(name);
      if (ok(t)) return t;
      if (Date.now() - t0 > timeoutMs) throw new Error(`display: ${name} still "${t}" after ${timeoutMs} ms`);
      await Bun.sleep(100);
    }
  }

  async stop(): Promise<number> {
    try {
      this.proc.stdin.write("quit\n");
      this.proc.stdin.end();
    } catch {
      // already gone
    }
    const timer = setTimeout(() => this.proc.kill(), 3000);
    const code = await this.proc.exited;
    clearTimeout(timer);
    return code;
  }

  async stderr(): Promise<string> {
    return await new Response(this.proc.stderr).text();
  }
}
