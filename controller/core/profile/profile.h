/* Shot profiles in their compact binary form (spec: protocol/profile/README.md). A profile is a
 * header and up to PROFILE_MAX_PHASES phases; each phase drives the pump by pressure, flow or power
 * towards a target that moves from `start` to `end` along a curve over `duration`, optionally
 * limited by the other quantity, and ends when any of its exit conditions holds. All little-endian.
 *   header (10 B): version u8 | phase_count u8 | temp_cdeg i16 | target_weight_dg u16 |
 *                  max_time_ds u16 | max_volume_ml u16
 *   phase (26 B):  mode u8 | curve u8 | start u16 | end u16 | duration_ds u16 | limit u16 |
 *                  temp_cdeg i16 | exit_time_ds u16 | exit_weight_dg u16 | exit_volume_ml u16 |
 *                  exit_pressure_above_mbar u16 | exit_pressure_below_mbar u16 |
 *                  exit_flow_above_ul_s u16 | exit_flow_below_ul_s u16
 * Targets and limits are in mbar (pressure), uL/s (flow) or permille (power); start 0xFFFF means
 * "from the value measured when the phase begins"; 0 in an exit, limit or temperature means none.
 * Version 2 counts a phase's exit_volume_ml from the phase's start (as Gaggiuino and GaggiMate do);
 * version 1 counted it from the shot's start. Both are read, each with its own meaning, so a
 * profile written before keeps running as it did. */
#ifndef BREWOS_PROFILE_H
#define BREWOS_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROFILE_VERSION 2u             /* written; 1 is still read */
#define PROFILE_VERSION_SHOT_VOLUME 1u /* the version whose volume exits count from the shot start */
#define PROFILE_MAX_PHASES 16u
#define PROFILE_HEADER_BYTES 10u
#define PROFILE_PHASE_BYTES 26u
#define PROFILE_MAX_BYTES (PROFILE_HEADER_BYTES + PROFILE_MAX_PHASES * PROFILE_PHASE_BYTES)
#define PROFILE_FROM_CURRENT 0xFFFFu

typedef enum { PROFILE_MODE_PRESSURE = 0, PROFILE_MODE_FLOW = 1, PROFILE_MODE_POWER = 2 } profile_mode_t;
typedef enum {
  PROFILE_CURVE_INSTANT = 0,
  PROFILE_CURVE_LINEAR = 1,
  PROFILE_CURVE_EASE_IN = 2,
  PROFILE_CURVE_EASE_OUT = 3,
  PROFILE_CURVE_EASE_IN_OUT = 4
} profile_curve_t;

typedef struct {
  uint8_t mode, curve;
  uint16_t start, end, duration_ds, limit;
  int16_t temp_cdeg;
  uint16_t exit_time_ds, exit_weight_dg, exit_volume_ml;
  uint16_t exit_pressure_above_mbar, exit_pressure_below_mbar, exit_flow_above_ul_s, exit_flow_below_ul_s;
} profile_phase_t;

typedef struct {
  uint8_t version;
  uint8_t phase_count;
  int16_t temp_cdeg;
  uint16_t target_weight_dg, max_time_ds, max_volume_ml;
  profile_phase_t phases[PROFILE_MAX_PHASES];
} profile_t;

typedef enum {
  PROFILE_OK = 0,
  PROFILE_ERR_LENGTH, /* shorter than its header says, or too long */
  PROFILE_ERR_VERSION,
  PROFILE_ERR_PHASE_COUNT, /* 0 or more than PROFILE_MAX_PHASES */
  PROFILE_ERR_MODE,
  PROFILE_ERR_CURVE,
  PROFILE_ERR_TARGET,          /* pressure above 16 bar, power above 1000 permille, flow above 20 ml/s */
  PROFILE_ERR_NEEDS_MODULATION /* a relay pump can only run power 0 or 1000 */
} profile_error_t;

/* Decode and validate. Returns a profile_error_t; *bad_phase names the failing phase. */
uint8_t profile_decode(const uint8_t *buf, size_t len, profile_t *p, uint8_t *bad_phase);
/* Encode into buf (PROFILE_MAX_BYTES suffices). Returns bytes written. */
size_t profile_encode(const profile_t *p, uint8_t *buf);
/* Whether a pump that can only switch on and off can run this profile. */
uint8_t profile_check_relay(const profile_t *p, uint8_t *bad_phase);
/* The phase target at `t_s` into the phase, given the value measured when it began. */
float profile_target(const profile_phase_t *ph, float t_s, float measured_at_start);

#endif
