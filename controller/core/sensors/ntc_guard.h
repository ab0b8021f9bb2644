/* How far a calibration moves a temperature reading from the board's own NTC curve. Calibration
 * (r25, Beta, pull-up, offset) exists to trim a real part's tolerance, so the controller refuses
 * any setting that moves a reading more than NTC_CAL_MAX_DEV_C anywhere between 20 degC and the
 * boiler's limit; limits are also judged on the factory curve (temp_sensor_limit_c). */
#ifndef BREWOS_NTC_GUARD_H
#define BREWOS_NTC_GUARD_H

#include "ntc.h"

/* degC: the widest trim a calibration may apply (a few degC of part tolerance and thermowell). */
#define NTC_CAL_MAX_DEV_C 5.5f
/* degC: a reading that disagrees with the factory curve by more than this at run time is implausible. */
#define NTC_RUNTIME_MAX_DEV_C (NTC_CAL_MAX_DEV_C + 1.0f)
/* degC above the limit up to which the deviation is checked. */
#define NTC_CAL_CHECK_ABOVE_LIMIT_C 10.0f

/* Largest |reading with `cal` - true temperature| for an NTC that follows `factory`, from 20 degC to
 * max_c + NTC_CAL_CHECK_ABOVE_LIMIT_C. */
float ntc_calibration_deviation_c(const ntc_params_t *factory, const ntc_params_t *cal, float max_c);

#endif
