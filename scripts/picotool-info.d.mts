// Types of scripts/picotool-info.mjs for the TypeScript that imports it.
export const PICOTOOL: string;
export function picotoolInfo(file: string): string | null;
export interface RomView {
  file: string;
  bytes: number;
  rom_version: string | null;
  fw_version: number | null;
  try_before_you_buy: boolean;
}
export function romView(file: string): RomView | null;
