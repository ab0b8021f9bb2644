/* The controller's boundary: everything it reads from the machine each tick and everything it
 * drives. Logic modules only ever see these structs; ports fill and apply them. */
#ifndef BREWOS_IO_H
#define BREWOS_IO_H

#include <stdbool.h>
#include <stdint.h>

/* 12-bit ADC full scale; NTCs and the pressure transducer are read ratiometrically. */
#define IO_ADC_FULL_SCALE 4095u

typedef struct {
  uint32_t now_ms;              /* monotonic ms since boot */
  uint16_t brew_ntc_adc;        /* brew boiler NTC divider, counts */
  uint16_t steam_ntc_adc;       /* steam boiler NTC divider, counts */
  uint16_t group_ntc_adc;       /* group NTC divider, counts (IO_ADC_FULL_SCALE when not fitted) */
  uint16_t pressure_adc;        /* brew pressure transducer, counts */
  uint16_t boiler_pressure_adc; /* steam boiler pressure transducer (HX pressure control), counts */
  uint32_t flow_pulses;         /* flow meter pulses since boot (wraps) */
  bool lever_down;              /* brew lever/switch closed (raw, undebounced) */
  bool tank_ok;                 /* reservoir float: water present (raw) */
  bool steam_level_ok;          /* steam boiler level probe: wet (raw) */
} ctl_inputs_t;

typedef struct {
  bool brew_heater_on;      /* brew SSR for this 10 ms half-cycle pair */
  bool steam_heater_on;     /* steam SSR for this tick */
  bool heater_mains_enable; /* safety relay feeding both heaters; opened by any trip */
  uint16_t pump_power_pmil; /* 0..1000; relay pumps treat > 0 as on */
  bool brew_valve_open;     /* 3-way solenoid energised: pump -> group. Released = group vents */
  bool fill_valve_open;     /* steam boiler fill solenoid */
  uint16_t brew_duty_pmil;  /* commanded heater duty this control period (telemetry) */
  uint16_t steam_duty_pmil;
} ctl_outputs_t;

#endif
