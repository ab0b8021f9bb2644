/* Flow estimate for a machine without a flow meter: the pump's flow-versus-pressure curve scaled
 * by its power. Default curve: Ulka/CEME E5 class vibratory pump (10.8 ml/s open, 4.25 ml/s at
 * 9 bar, 0 at 15 bar). Calibration per machine belongs to the profiling work. */
#ifndef BREWOS_PUMP_MODEL_H
#define BREWOS_PUMP_MODEL_H

#define PUMP_CURVE_POINTS 3

typedef struct {
  float bar[PUMP_CURVE_POINTS];
  float ml_s[PUMP_CURVE_POINTS];
} pump_model_t;

void pump_model_default(pump_model_t *m);
/* Three points of the curve at full power: 0 bar, 9 bar, and where flow reaches 0. */
void pump_model_set(pump_model_t *m, float q0_ml_s, float q9_ml_s, float max_bar);
/* Flow in ml/s at `pressure_bar` with the pump at `power_pmil`. */
float pump_model_flow_ml_s(const pump_model_t *m, float pressure_bar, float power_pmil);

#endif
