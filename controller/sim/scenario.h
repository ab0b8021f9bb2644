/* Scenario files for `brewos-sim run` (format in controller/sim/README.md). Parsing is strict:
 * an unknown key, a wrong type or an out-of-range value is an error naming its place. */
#ifndef BREWOS_SIM_SCENARIO_H
#define BREWOS_SIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bbw_peers.h"
#include "plant/plant.h"
#include "profile/profile.h"
#include "scale.h"

#define SCENARIO_MAX_EVENTS 64
#define SCENARIO_MAX_CONFIG 8

typedef enum {
  EV_POWER_ON,
  EV_POWER_OFF,
  EV_SET,
  EV_SHOT,
  EV_FAULT,
  EV_CLEAR_FAULT,
  EV_LINK_LOSS,
  EV_AUTOTUNE,
  EV_PRESS_CLEAR, /* the owner presses "clear fault" (a fault_clear), once or every every_s for for_s */
  EV_RESTART,     /* the controller resets (watchdog); the hub says hello again */
} scenario_event_kind_t;

typedef struct {
  double t_s;
  scenario_event_kind_t kind;
  /* set */
  double brew_c, steam_c; /* NaN when not given */
  int mode;               /* -1 when not given, else proto_machine_mode_t */
  int strategy;           /* -1 when not given */
  int eco;                /* -1, 0 or 1 */
  plant_config_t config[SCENARIO_MAX_CONFIG];
  uint8_t config_count;
  /* shot */
  double dose_g;
  double stop_time_s, stop_volume_ml;
  double pre_on_s, pre_pause_s; /* NaN when not given */
  puck_params_t puck;
  bool lever;      /* start with the lever instead of a command */
  double target_g; /* 0: no weight target */
  bool has_scale;
  scale_params_t scale;
  bbw_algorithm_t bbw;
  bool has_profile;
  profile_t profile;
  bool backflush;
  /* fault / clear_fault */
  plant_fault_t fault;
  /* link_loss, press_clear */
  double for_s;
  double every_s; /* press_clear: 0 = once */
  /* autotune */
  int boiler;
  double setpoint_c, amplitude_pmil;
} scenario_event_t;

typedef struct {
  char name[64];
  plant_preset_t machine;
  uint64_t seed;
  double duration_s;
  double ambient_c;
  double sensor_noise_c;
  double brew_c, steam_c;
  double steady_from_s, steady_to_s; /* NaN: derived */
  scenario_event_t events[SCENARIO_MAX_EVENTS];
  size_t event_count;
} scenario_t;

/* Parse JSON text. On error returns false and writes a message into err. */
bool scenario_parse(const char *json, scenario_t *s, char *err, size_t err_len);
/* Parse a file. */
bool scenario_load(const char *path, scenario_t *s, char *err, size_t err_len);
/* Name of a fault kind as written in scenario files. */
const char *scenario_fault_name(plant_fault_t f);

#endif
