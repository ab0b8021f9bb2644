/* Pin map of the BrewOS reference board around a Raspberry Pi Pico 2 (RP2350A). docs/hardware/rp2350-pins.md
 * explains each signal; change only here. */
#ifndef BREWOS_BOARD_H
#define BREWOS_BOARD_H

/* Hub link: UART0 at 921600 8N1. */
#define BOARD_LINK_UART uart0
#define BOARD_LINK_BAUD 921600u
#define BOARD_PIN_LINK_TX 0u
#define BOARD_PIN_LINK_RX 1u

/* Analog inputs (ADC channel = pin - 26), ratiometric to the 3.3 V ADC reference. */
#define BOARD_PIN_BREW_NTC 26u
#define BOARD_PIN_STEAM_NTC 27u
/* The NTC parts and pull-ups this board is built for: the factory curves the controller judges its
 * limits on and bounds every calibration by (core/sensors/ntc_guard.h). 50 kOhm, B 3950 K. */
#define BOARD_BREW_NTC_R25_OHM 50000.0f
#define BOARD_BREW_NTC_BETA_K 3950.0f
#define BOARD_BREW_NTC_PULLUP_OHM 3300.0f
#define BOARD_STEAM_NTC_R25_OHM 50000.0f
#define BOARD_STEAM_NTC_BETA_K 3950.0f
#define BOARD_STEAM_NTC_PULLUP_OHM 1200.0f
#define BOARD_PIN_PRESSURE 28u

/* Outputs, active high. The mains relay feeds both heater SSRs and opens on any trip. */
#define BOARD_PIN_BREW_SSR 10u
#define BOARD_PIN_STEAM_SSR 11u
#define BOARD_PIN_HEATER_MAINS 12u
#define BOARD_PIN_PUMP 13u
#define BOARD_PIN_BREW_VALVE 14u
#define BOARD_PIN_FILL_VALVE 15u
#define BOARD_PIN_LED 25u

/* Digital inputs. */
#define BOARD_PIN_LEVER 16u       /* lever micro-switch to GND, internal pull-up: low = down */
#define BOARD_PIN_TANK 17u        /* reservoir float: high = water present */
#define BOARD_PIN_STEAM_LEVEL 18u /* steam probe comparator: high = wet */
#define BOARD_PIN_FLOW_METER 19u  /* open-collector pulses, internal pull-up, counted on falling edges */
#define BOARD_PIN_ZERO_CROSS 20u  /* mains zero-cross detector (optocoupler), a pulse per half-wave */

/* How the pump is driven (one of):
 *   BOARD_PUMP_RELAY  on/off (relay or SSR)
 *   BOARD_PUMP_PSM    vibratory pump on a zero-cross SSR, pulse-skip modulated: each mains
 *                     half-wave is passed or skipped at its zero crossing (sigma-delta on power)
 *   BOARD_PUMP_PWM    gear pump motor driver, hardware PWM at BOARD_PUMP_PWM_HZ */
#define BOARD_PUMP_RELAY 0
#define BOARD_PUMP_PSM 1
#define BOARD_PUMP_PWM 2
#ifndef BOARD_PUMP_DRIVE
#define BOARD_PUMP_DRIVE BOARD_PUMP_RELAY
#endif
#define BOARD_PUMP_PWM_HZ 20000u

/* What this board has (proto capabilities bits). */
#define BOARD_CAPABILITIES                                                                                     \
  (PROTO_CAPABILITIES_PRESSURE_SENSOR | PROTO_CAPABILITIES_FLOW_METER | PROTO_CAPABILITIES_LEVER_SWITCH |      \
   PROTO_CAPABILITIES_STEAM_LEVEL_PROBE | PROTO_CAPABILITIES_TANK_LEVEL_SWITCH | PROTO_CAPABILITIES_AUTOTUNE | \
   PROTO_CAPABILITIES_WEIGHT_STOP | PROTO_CAPABILITIES_CONFIG_PERSISTENCE |                                    \
   (BOARD_PUMP_DRIVE == BOARD_PUMP_PSM ? PROTO_CAPABILITIES_DIMMABLE_PUMP : 0u) |                              \
   (BOARD_PUMP_DRIVE == BOARD_PUMP_PWM ? PROTO_CAPABILITIES_GEAR_PUMP : 0u))

/* Hardware watchdog: long enough for a config sector erase (<= 400 ms on common QSPI parts). */
#define BOARD_WATCHDOG_MS 1000u
#define BOARD_SYS_CLOCK_HZ 150000000u

#endif
