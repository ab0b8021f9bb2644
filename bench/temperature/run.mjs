// `npm run bench:temperature`: for each simulator preset, heat-up, steady state and a shot, run by
// the BrewOS controller and, in the same invocation, by the BrewOS-published baseline (Kp 2.0,
// Ki 0.1, Kd 1.0, 100 ms loop, 1 degC/s ramp, no feed-forward). Prints one JSON document with the
// targets of the controller issue and whether each was met.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { must, root } from "../../scripts/lib.mjs";

const sim = join(root, "build", "host", "brewos-sim");
if (!existsSync(sim)) {
  must("cmake", ["-S", "controller", "-B", "build/host", "-DCMAKE_BUILD_TYPE=RelWithDebInfo"], { echo: false });
  must("cmake", ["--build", "build/host", "--target", "brewos-sim", "-j", "2"], { echo: false });
}

const presets = { dual_boiler: "heatup_dual.json", single_boiler: "heatup_single.json", heat_exchanger: "heatup_hx.json" };
const keep = [
  "heatup_s",
  "ideal_heatup_s",
  "heatup_ratio",
  "full_power_heatup_s",
  "full_power_ratio",
  "overshoot_c",
  "steady_pp_c",
  "steady_rms_c",
  "sensor_steady_pp_c",
  "speed_x",
];

function run(file, controller) {
  const out = execFileSync(sim, ["run", "--scenario", join(root, "controller/sim/scenarios", file), "--controller", controller], {
    encoding: "utf8",
  });
  const r = JSON.parse(out);
  const summary = Object.fromEntries(keep.map((k) => [k, r[k]]));
  const shot = r.shots[0] ?? {};
  summary.shot_brew_temp_dev_c = shot.brew_temp_dev_c ?? null;
  summary.shot_delivered_mean_c = shot.delivered_mean_c ?? null;
  summary.trips = r.trips.map((t) => t.kind);
  return summary;
}

const result = { benchmark: "temperature", machine: `${process.arch}`, presets: {} };
for (const [name, file] of Object.entries(presets)) {
  const ours = run(file, "brewos");
  const base = run(file, "baseline");
  const targets = {
    steady_pp_c_le_0_3: ours.steady_pp_c <= 0.3,
    sensor_steady_pp_c_le_0_2: ours.sensor_steady_pp_c <= 0.2,
    overshoot_c_le_0_5: ours.overshoot_c <= 0.5,
    heatup_ratio_le_1_15: ours.heatup_ratio <= 1.15,
    // The heater pinned on from cold is the physical bound; where it is itself above 1.15 x ideal
    // (losses into the group and HX tube), this says how close the controller gets to it.
    full_power_bound_ratio: ours.full_power_ratio,
    heatup_vs_full_power_bound: Math.round((ours.heatup_s / ours.full_power_heatup_s) * 1000) / 1000,
    ...(name === "dual_boiler" ? { shot_brew_temp_dev_c_le_1_0: ours.shot_brew_temp_dev_c <= 1.0 } : {}),
  };
  result.presets[name] = { brewos: ours, brewos_baseline: base, targets };
}
console.log(JSON.stringify(result, null, 2));
