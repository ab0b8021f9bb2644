// Renders the app icons (public/icons/*.png) from public/icon.svg in Debian's Chromium. Run after
// changing the SVG: `node scripts/icons.mjs`. The maskable icon keeps the artwork inside the 80 %
// safe zone on a full-bleed background, as launchers crop it to a circle or squircle.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { root } from "./lib.mjs";

const svg = readFileSync(join(root, "public", "icon.svg"), "utf8");
const out = join(root, "public", "icons");
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
const shots = [
  { file: "icon-192.png", size: 192, inset: 0, bg: "transparent" },
  { file: "icon-512.png", size: 512, inset: 0, bg: "transparent" },
  { file: "icon-maskable-512.png", size: 512, inset: 0.1, bg: "#2b1d16" },
];
for (const s of shots) {
  await page.setViewportSize({ width: s.size, height: s.size });
  const pad = Math.round(s.size * s.inset);
  await page.setContent(
    `<html><body style="margin:0;background:${s.bg}"><div style="padding:${pad}px;width:${s.size}px;height:${s.size}px;box-sizing:border-box">${svg.replace("<svg", '<svg width="100%" height="100%"')}</div></body></html>`,
  );
  await page.screenshot({ path: join(out, s.file), omitBackground: s.bg === "transparent" });
  console.log(`${s.file} ${s.size}x${s.size}`);
}
await browser.close();
