/** @module What each controller alarm means and what to do about it, in plain words. */
import { t } from "../i18n/i18n.ts";

export interface AlarmAdvice {
  title: string;
  action: string;
}

const A: Record<string, AlarmAdvice> = {
  brew_over_temp: {
    title: "Brew boiler too hot",
    action: "The heater is off. Let it cool, then clear the fault. If it repeats, check the temperature sensor.",
  },
  steam_over_temp: {
    title: "Steam boiler too hot",
    action: "The heater is off. Let it cool, then clear the fault. If it repeats, check the steam sensor and pressurestat.",
  },
  brew_sensor_open: {
    title: "Brew temperature sensor disconnected",
    action: "Switch the machine off and check the sensor's plug and wire.",
  },
  brew_sensor_short: {
    title: "Brew temperature sensor shorted",
    action: "Switch the machine off and check the sensor's wiring for a short.",
  },
  steam_sensor_open: {
    title: "Steam temperature sensor disconnected",
    action: "Switch the machine off and check the sensor's plug and wire.",
  },
  steam_sensor_short: {
    title: "Steam temperature sensor shorted",
    action: "Switch the machine off and check the sensor's wiring for a short.",
  },
  sensor_stuck: {
    title: "A temperature reading stopped changing",
    action: "The sensor may be loose or failing. Check it, then clear the fault.",
  },
  brew_heating_watch: {
    title: "Brew boiler is not warming",
    action: "The heater or its relay may have failed, or the boiler is empty. Check, then clear the fault.",
  },
  steam_heating_watch: {
    title: "Steam boiler is not warming",
    action: "The heater or its relay may have failed, or the boiler is empty. Check, then clear the fault.",
  },
  thermal_runaway: {
    title: "Boiler stopped answering its heater",
    action:
      "The heater ran at full power without the temperature rising. The sensor may have come loose from the boiler or the element failed. Switch off and check both before using the machine.",
  },
  heater_stuck_on: {
    title: "Heater relay stuck on",
    action: "Mains power to the heaters was cut. Switch off and replace the solid-state relay.",
  },
  water_empty: { title: "Water tank empty", action: "Refill the tank, then clear the fault." },
  steam_fill_timeout: { title: "Steam boiler did not fill", action: "Check the tank and the fill valve, then clear the fault." },
  pump_max_run: {
    title: "Pump reached its run-time limit",
    action:
      "A shot or a fill kept the pump running longer than its limit allows, so it was stopped. Give every shot a stop (weight, volume or time); if no shot was running, check the tank and the fill valve. Then clear the fault.",
  },
  link_loss: {
    title: "Controller lost the hub",
    action: "Heaters are off until the hub is back. Check the cable between hub and controller.",
  },
  self_test_ram: {
    title: "Controller memory test failed",
    action: "Restart the machine. If it repeats, the controller board needs service.",
  },
  self_test_flash: {
    title: "Controller flash test failed",
    action: "Restart the machine. If it repeats, reflash the controller firmware.",
  },
  self_test_clock: {
    title: "Controller clock test failed",
    action: "Restart the machine. If it repeats, the controller board needs service.",
  },
  self_test_stack: { title: "Controller stack check failed", action: "Restart the machine and report this with the firmware version." },
  config_invalid: { title: "Saved settings were unreadable", action: "Safe defaults are in use. Review the settings and save them again." },
  pressure_sensor_fault: {
    title: "Pressure sensor fault",
    action: "Check the pressure sensor's wiring. Pressure profiles are unavailable until it reads again.",
  },
  group_sensor_fault: { title: "Group temperature sensor fault", action: "Check the group sensor's wiring, then clear the fault." },
  over_pressure: {
    title: "Pressure too high",
    action: "The pump was stopped. Grind coarser or check for a blocked group, then clear the fault.",
  },
  watchdog_reset: {
    title: "Controller restarted unexpectedly",
    action: "It recovered on its own. If it happens often, report it with the firmware version.",
  },
  pump_blocked: {
    title: "No water flow",
    action: "The pump was stopped. Check the tank, the inlet and for a choked puck, then clear the fault.",
  },
  brew_sensor_implausible: {
    title: "Brew temperature reading cannot be trusted",
    action:
      "The sensor's reading does not match what the heater delivered, or the calibration moves it far from the sensor's curve. Check the sensor sits in its well and undo recent calibration changes, then clear the fault.",
  },
  steam_sensor_implausible: {
    title: "Steam temperature reading cannot be trusted",
    action:
      "The sensor's reading does not match what the heater delivered, or the calibration moves it far from the sensor's curve. Check the sensor sits in its well and undo recent calibration changes, then clear the fault.",
  },
  scale_lost: {
    title: "The scale went silent during the shot",
    action: "The shot finished on the volume that matched its remaining weight. Check the scale's battery and that it stays in range.",
  },
};

/** Every alarm's words in English (the catalogue translates them; its test reads this). */
export const ALARM_TEXTS: readonly AlarmAdvice[] = Object.values(A);

export function alarmAdvice(code: string): AlarmAdvice {
  const a = A[code];
  if (!a) return { title: code.replaceAll("_", " "), action: t("Check the machine, then clear the fault.") };
  return { title: t(a.title), action: t(a.action) };
}
