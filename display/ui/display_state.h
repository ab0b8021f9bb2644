/*
 * What the machine display shows: the machine as the hub reports it (the /ws snapshot fields the
 * display uses), the next shot's recipe, the last shot, maintenance and pairing. Plain data, filled
 * by the hub link (Linux) or any other source (a microcontroller panel); the UI only reads it.
 */
#ifndef BREWOS_DISPLAY_STATE_H
#define BREWOS_DISPLAY_STATE_H

#include <stdbool.h>

#define DISPLAY_TEXT_BYTES 48
#define DISPLAY_LINK_BYTES 200
#define DISPLAY_CURVE_POINTS 120 /* about a minute at the hub's 2-20 Hz */

typedef struct {
  bool hub_up;        /* the display hears the hub */
  bool controller_up; /* the hub hears the controller (snapshot `link`) */
  char state[16];     /* init idle heating ready brewing steaming eco fault safe */
  char mode[12];      /* standby brew steam */
  bool ready;
  int eta_ready_s; /* -1: unknown */
  float brew_c, brew_target_c, brew_setpoint_c;
  float heat_from_c; /* the brew boiler when this heat-up began (the progress bar's start); -1000: not heating */
  float steam_c, steam_target_c;
  bool has_steam; /* a dual boiler (its steam boiler has its own sensor) */
  float pressure_bar;
  bool has_weight;
  float weight_g;
  int brew_heater_pct; /* -1: unknown */
  bool brewing;
  float shot_elapsed_s;
  /* The shot's curve: the newest DISPLAY_CURVE_POINTS readings (a ring; weight < 0: no scale). */
  unsigned long shot_samples; /* readings so far in this shot */
  float curve_pressure_bar[DISPLAY_CURVE_POINTS];
  float curve_weight_g[DISPLAY_CURVE_POINTS];
  char alarm[32]; /* "" when none */

  /* The next shot's recipe. */
  float dose_g;
  float target_g; /* 0: no weight stop */

  /* The last shot recorded. */
  bool has_last_shot;
  float last_weight_g, last_duration_s, last_max_pressure_bar;
  char last_stop_reason[24];

  /* Maintenance that is due, in words ("" when none). */
  char maintenance_due[DISPLAY_TEXT_BYTES];

  /* An open pairing window: its link (the QR code) and typed code. */
  bool pairing_open;
  char pairing_link[DISPLAY_LINK_BYTES];
  char pairing_code[16];
} display_state_t;

void display_state_init(display_state_t *s);
/* One live reading of a running shot onto its curve (the first of a shot starts a new curve). */
void display_state_add_sample(display_state_t *s);

#endif
