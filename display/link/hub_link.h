/*
 * The display's link to the hub: the hub's display socket (a UNIX socket; the display is the
 * machine's trusted kiosk), one JSON message per line each way. Reconnects by itself; a hub that
 * is silent for HUB_SILENT_MS is asked for a snapshot, and lost when it still says nothing.
 */
#ifndef BREWOS_DISPLAY_HUB_LINK_H
#define BREWOS_DISPLAY_HUB_LINK_H

#include <stdbool.h>
#include <stdint.h>

#define HUB_SILENT_MS 1000u
#define HUB_LOST_MS 1500u
#define HUB_RETRY_MS 500u

typedef struct hub_link hub_link_t;

typedef void (*hub_line_fn)(void *ctx, const char *line);

hub_link_t *hub_link_open(const char *socket_path, hub_line_fn on_line, void *ctx);
/* The socket's fd to poll (-1 while not connected). */
int hub_link_fd(const hub_link_t *l);
/* Reads what arrived, reconnects, pings; call on readiness and at least every 100 ms. */
void hub_link_service(hub_link_t *l, uint32_t now_ms);
bool hub_link_up(const hub_link_t *l);
/* Sends one message (a line); false when the hub is not connected. */
bool hub_link_send(hub_link_t *l, const char *json);
void hub_link_close(hub_link_t *l);

#endif
