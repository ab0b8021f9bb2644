/* One temperature channel: raw divider counts in, filtered degC out, plus health. A faulty sensor is
 * flagged (open, short, stuck) and keeps reporting what it reads: its value is never frozen. */
#ifndef BREWOS_TEMP_SENSOR_H
#define BREWOS_TEMP_SENSOR_H

#include <stdbool.h>
#include <stdint.h>

#include "filter.h"
#include "ntc.h"

/* Raw counts this close to a rail mean an open (pull-up side) or shorted NTC. */
#define TEMP_SENSOR_RAIL_COUNTS 8u
/* Consecutive rail samples (10 ms each) before the fault is declared: 100 ms. */
#define TEMP_SENSOR_RAIL_SAMPLES 10u
/* Stuck: raw counts spanning at most this many LSB over a whole window in which its heater
 * delivered at least TEMP_SENSOR_STUCK_MIN_DUTY_PMIL on average (>= 15 s of full power, well past
 * the ~8 s dead time between element and thermowell). Windows restart, never slide, so time the
 * heater was held off is never mixed with time it heated. */
#define TEMP_SENSOR_STUCK_SPAN_COUNTS 1u
#define TEMP_SENSOR_STUCK_WINDOW_MS 30000u
#define TEMP_SENSOR_STUCK_MIN_DUTY_PMIL 500u
/* Frozen: raw counts exactly constant for this long at any duty. A live NTC behind a real ADC always
 * moves by an LSB or more within seconds (thermal and ADC noise, ~1.5 LSB rms in the simulator);
 * a value that does not move at all is a frozen converter or bus. Catches a freeze at idle, where
 * the duty-gated window above never runs. The port must hand over raw samples, not long averages. */
#define TEMP_SENSOR_FROZEN_WINDOW_MS 45000u

typedef enum { TEMP_SENSOR_OK = 0, TEMP_SENSOR_OPEN, TEMP_SENSOR_SHORT, TEMP_SENSOR_STUCK } temp_sensor_fault_t;

typedef struct {
  ntc_params_t ntc;     /* in force: the board's curve with the owner's calibration */
  ntc_params_t factory; /* the board's own curve, never changed by a setting */
  filter_t filter;
  filter_t factory_filter;
  float factory_fast_c; /* median of the last 3 raw samples read with the factory curve */
  float value_c;        /* filtered, for control and telemetry */
  float fast_c;         /* median of the last 3 raw samples, for trip checks */
  temp_sensor_fault_t fault;
  uint8_t rail_count;
  uint16_t stuck_min, stuck_max;
  uint32_t stuck_since_ms;
  uint32_t stuck_duty_sum;
  uint32_t stuck_samples;
  uint16_t frozen_adc;
  uint32_t frozen_since_ms;
  bool fitted;
} temp_sensor_t;

/* `p` is both the curve in force and the factory curve until temp_sensor_set_factory(). */
void temp_sensor_init(temp_sensor_t *s, const ntc_params_t *p, bool fitted);

/* The board's own curve for this channel (a build-time fact of the port). */
void temp_sensor_set_factory(temp_sensor_t *s, const ntc_params_t *factory);

/* What limits are judged on: the hotter of the calibrated and the factory-curve readings, so no
 * calibration can make a hot boiler look cooler to the over-temperature check. */
float temp_sensor_limit_c(const temp_sensor_t *s);

/* Feed one raw sample taken at now_ms; heater_duty_pmil is the duty of the heater this sensor
 * watches (0 when none) for stuck detection. */
void temp_sensor_sample(temp_sensor_t *s, uint16_t adc, uint32_t now_ms, uint16_t heater_duty_pmil);

#endif
