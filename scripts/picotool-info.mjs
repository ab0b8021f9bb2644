// What the RP2350 boot ROM will read from an image, as the vendor's picotool (built by
// `npm run firmware` under build/vendor/tools) reports it: the image's version and whether it boots
// on trial (try-before-you-buy, not yet bought). Used by the firmware size report and the release tool.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { root, run } from "./lib.mjs";

export const PICOTOOL = join(root, "build", "vendor", "tools", "picotool", "picotool");

/** `picotool info -a FILE` as text; null without picotool or when it cannot read the file. */
export function picotoolInfo(file) {
  if (!existsSync(PICOTOOL)) return null;
  const r = run(PICOTOOL, ["info", "-a", file], { echo: false });
  return r.status === 0 ? r.out : null;
}

/** The ROM's view of an image; null when picotool is missing or finds no image. */
export function romView(file) {
  const text = picotoolInfo(file);
  if (text === null || !/image def/.test(text)) return null;
  const v = /version:\s+(\d+)\.(\d+)/.exec(text);
  return {
    file: file.startsWith(root) ? file.slice(root.length + 1) : file,
    bytes: statSync(file).size,
    rom_version: v ? `${v[1]}.${v[2]}` : null,
    /** Our major << 16 | minor << 8 | patch (the ROM minor is minor << 8 | patch). */
    fw_version: v ? (Number(v[1]) << 16) | Number(v[2]) : null,
    try_before_you_buy: /tbyb:\s+not bought/.test(text),
  };
}
