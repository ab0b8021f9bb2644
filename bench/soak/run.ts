/**
 * `npm run soak` (bench/soak/soak.ts): a month of use by default. SOAK_DAYS, SOAK_SPEED,
 * SOAK_CORRUPT (share of link bytes, default 0.01) change it. Prints JSON; exits 1 on any
 * invariant violation.
 */
import { runSoak } from "./soak.ts";

const r = await runSoak({
  days: Number(process.env.SOAK_DAYS ?? 30),
  speed: Number(process.env.SOAK_SPEED ?? 100),
  shotsPerDay: 3,
  corruptShare: Number(process.env.SOAK_CORRUPT ?? 0.01),
  restartEveryDays: 5,
  killEveryDays: 7,
  log: (t) => process.stderr.write(`${t}\n`),
});
console.log(JSON.stringify(r, null, 2));
process.exit(r.invariant_violations.length === 0 ? 0 : 1);
