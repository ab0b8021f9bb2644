#include "hub_link.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define LINE_BYTES (256 * 1024) /* a snapshot or a statistics answer fits with room */

struct hub_link {
  char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
  int fd;
  bool up;
  uint32_t last_rx_ms, last_try_ms, ping_ms;
  hub_line_fn on_line;
  void *ctx;
  size_t used;
  char line[LINE_BYTES];
};

hub_link_t *hub_link_open(const char *socket_path, hub_line_fn on_line, void *ctx) {
  hub_link_t *l = calloc(1, sizeof *l);
  if (!l) return NULL;
  snprintf(l->path, sizeof l->path, "%s", socket_path);
  l->fd = -1;
  l->on_line = on_line;
  l->ctx = ctx;
  l->last_try_ms = UINT32_MAX;
  return l;
}

int hub_link_fd(const hub_link_t *l) {
  return l->fd;
}
bool hub_link_up(const hub_link_t *l) {
  return l->up;
}

static void drop(hub_link_t *l) {
  if (l->fd >= 0) close(l->fd);
  l->fd = -1;
  l->up = false;
  l->used = 0;
}

static void try_connect(hub_link_t *l, uint32_t now_ms) {
  l->last_try_ms = now_ms;
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  snprintf(a.sun_path, sizeof a.sun_path, "%s", l->path);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  l->fd = fd;
  l->up = true;
  l->last_rx_ms = now_ms;
  l->ping_ms = 0;
}

static void read_lines(hub_link_t *l, uint32_t now_ms) {
  for (;;) {
    if (l->used == sizeof l->line) l->used = 0; /* a line too long for us: dropped */
    ssize_t n = read(l->fd, l->line + l->used, sizeof l->line - l->used);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      drop(l);
      return;
    }
    if (n < 0) return;
    l->last_rx_ms = now_ms;
    l->ping_ms = 0;
    size_t start = 0, end = l->used + (size_t)n;
    for (size_t i = l->used; i < end; i++) {
      if (l->line[i] != '\n') continue;
      l->line[i] = 0;
      if (i > start) l->on_line(l->ctx, l->line + start);
      start = i + 1;
      if (l->fd < 0) return;
    }
    memmove(l->line, l->line + start, end - start);
    l->used = end - start;
  }
}

void hub_link_service(hub_link_t *l, uint32_t now_ms) {
  if (l->fd < 0) {
    if (l->last_try_ms == UINT32_MAX || now_ms - l->last_try_ms >= HUB_RETRY_MS) try_connect(l, now_ms);
    return;
  }
  read_lines(l, now_ms);
  if (l->fd < 0) return;
  uint32_t quiet = now_ms - l->last_rx_ms;
  if (quiet >= HUB_SILENT_MS && l->ping_ms == 0) {
    l->ping_ms = now_ms;
    hub_link_send(l, "{\"type\":\"resync\"}");
  } else if (l->ping_ms != 0 && now_ms - l->ping_ms >= HUB_LOST_MS) {
    drop(l);
  }
}

bool hub_link_send(hub_link_t *l, const char *json) {
  if (l->fd < 0) return false;
  size_t n = strlen(json);
  char *msg = malloc(n + 1);
  if (!msg) return false;
  memcpy(msg, json, n);
  msg[n] = '\n';
  size_t sent = 0;
  while (sent < n + 1) {
    ssize_t w = send(l->fd, msg + sent, n + 1 - sent, MSG_NOSIGNAL);
    if (w < 0 && (errno == EAGAIN || errno == EINTR)) continue; /* small lines: the buffer drains at once */
    if (w <= 0) {
      free(msg);
      drop(l);
      return false;
    }
    sent += (size_t)w;
  }
  free(msg);
  return true;
}

void hub_link_close(hub_link_t *l) {
  drop(l);
  free(l);
}
