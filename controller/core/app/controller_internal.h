/* Functions the controller's own files share (commands.c, report.c, controller.c); not public. */
#ifndef BREWOS_CONTROLLER_INTERNAL_H
#define BREWOS_CONTROLLER_INTERNAL_H

#include "controller.h"

/* Handle one decoded hub -> controller message. */
void controller_handle(controller_t *c, const proto_msg_t *m);
/* Queue telemetry when due, and every pending event (shot, alarm). */
void controller_report(controller_t *c);
/* Queue the next part of a running config dump. */
void controller_continue_dump(controller_t *c);
/* Queue a controller_hello. */
void controller_send_hello(controller_t *c);
/* Queue a raised-alarm event for every active alarm (a hub that just said hello missed them). */
void controller_announce_alarms(controller_t *c);
/* Queue a log line. */
void controller_log(controller_t *c, uint8_t level, const char *text);
/* Queue a config_report for `key`. */
void controller_report_config(controller_t *c, uint16_t key);
/* Re-read configuration into every module. */
void controller_apply_config(controller_t *c);
/* Inputs for safety checks and fault clearing from the current state. */
void controller_safety_in(const controller_t *c, safety_in_t *in);
/* Whether a shot may start now; returns a proto_ack_result_t and an explaining detail. */
uint8_t controller_may_brew(const controller_t *c, uint16_t *detail);
/* Start a shot from a request (command or lever). */
void controller_start_shot(controller_t *c, const shot_request_t *req);

#endif
