// `npm run safety:table`: runs every fault and safety scenario on the simulator and prints, per
// scenario, what tripped and when, the true water peak of each boiler against the limit in force,
// heat delivered after a trip, and the cup of each shot (JSON, then the same as a Markdown table).
// Needs the host build (`npm test` makes it).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { root, run } from "./lib.mjs";

const sim = join(root, "build", "host", "brewos-sim");
const dirs = ["faults", "safety"].map((d) => join(root, "controller", "sim", "scenarios", d));
const rows = [];
for (const dir of dirs) {
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const r = run(sim, ["run", "--scenario", join(dir, file)], { echo: false });
    if (r.status !== 0) {
      rows.push({ scenario: file, error: r.out.trim() });
      continue;
    }
    const rep = JSON.parse(r.out.slice(r.out.indexOf("{")));
    rows.push({
      scenario: `${dir.endsWith("safety") ? "safety" : "faults"}/${file.replace(/\.json$/, "")}`,
      trips: rep.trips.map((t) => ({
        kind: t.kind,
        detected_after_ms: t.detected_after_ms,
        heater_on_after_trip_ms: t.heater_on_after_trip_ms,
      })),
      brew_true_peak_c: rep.brew_true_peak_c,
      brew_limit_c: rep.brew_limit_c,
      steam_true_peak_c: rep.steam_true_peak_c,
      steam_limit_c: rep.steam_limit_c,
      rejected_commands: rep.rejected_commands,
      shots: rep.shots.map((s) => ({ stop: s.stop_reason, cup_g: s.cup_g, s: s.duration_s })),
      final_state: rep.final_state,
    });
  }
}
console.log(JSON.stringify(rows, null, 2));
const peak = (p, l) => (p === null ? "—" : `${p.toFixed(1)} / ${l.toFixed(0)}`);
console.log(
  "\n| scenario | detected (after) | brew true peak / limit °C | steam true peak / limit °C | heat after trip | shots (stop, cup g) |",
);
console.log("|---|---|---|---|---|---|");
for (const r of rows) {
  if (r.error) {
    console.log(`| ${r.scenario} | error: ${r.error} | | | | |`);
    continue;
  }
  const trips = r.trips.map((t) => `${t.kind} (${t.detected_after_ms} ms)`).join(", ") || "none";
  const heat = r.trips.some((t) => (t.heater_on_after_trip_ms ?? 0) > 0) ? "YES" : "0 ms";
  const shots = r.shots.map((s) => `${s.stop} ${s.cup_g.toFixed(1)}`).join("; ") || "—";
  console.log(
    `| ${r.scenario} | ${trips} | ${peak(r.brew_true_peak_c, r.brew_limit_c)} | ${peak(r.steam_true_peak_c, r.steam_limit_c)} | ${heat} | ${shots} |`,
  );
}
