/*
 * The hub's /ws messages (docs/api/websocket.md) as the display reads them, and the commands it
 * sends: the same JSON as the app, one message per line on the display's socket.
 */
#ifndef BREWOS_DISPLAY_HUB_MESSAGES_H
#define BREWOS_DISPLAY_HUB_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "display_state.h"

/* Applies one message; false when it is not JSON (ignored). Answers to the display's own requests
 * (`http_result` for the pairing window and the statistics) fill pairing and maintenance. */
bool hub_message_apply(display_state_t *s, const char *json);

/* The messages the display sends, written into `out` (one line, no newline). */
int hub_command_power(char *out, size_t n, int id, bool on);
int hub_command_start_shot(char *out, size_t n, int id, const display_state_t *s);
int hub_command_stop_shot(char *out, size_t n, int id);
int hub_command_clear_fault(char *out, size_t n, int id);
int hub_request_pairing(char *out, size_t n, bool open);
int hub_request_statistics(char *out, size_t n);

#endif
