/**
 * @module The list of BLE scale families and the one rule that picks a family: the
 * advertised name, most specific first (several brands share FFF0; Timemore reuses the SIG weight
 * UUIDs). The SIG weight scale never matches by name; an owner chooses it.
 */
import { acaia, acaiaUmbra } from "./acaia.ts";
import { bookoo } from "./bookoo.ts";
import { decent } from "./decent.ts";
import { difluid } from "./difluid.ts";
import { eclair } from "./eclair.ts";
import { eureka } from "./eureka.ts";
import type { ScaleFamily } from "./family.ts";
import { felicita } from "./felicita.ts";
import { hiroia } from "./hiroia.ts";
import { sigWeight } from "./sig-weight.ts";
import { skale } from "./skale.ts";
import { timemore, timemoreDot } from "./timemore.ts";
import { varia } from "./varia.ts";

export const SCALE_FAMILIES: readonly ScaleFamily[] = [
  acaiaUmbra,
  acaia,
  bookoo,
  decent,
  difluid,
  eclair,
  eureka,
  felicita,
  hiroia,
  skale,
  timemoreDot,
  timemore,
  varia,
  sigWeight,
];

/** The family an advertised name belongs to, or null (an unknown scale is never guessed at). */
export function familyFor(name: string | null | undefined): ScaleFamily | null {
  if (!name) return null;
  return SCALE_FAMILIES.find((f) => f.matches(name.trim())) ?? null;
}

export function familyById(id: string): ScaleFamily | null {
  return SCALE_FAMILIES.find((f) => f.id === id) ?? null;
}
