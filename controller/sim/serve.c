/* Real-time serving of the simulated machine over a byte link. */
#define _GNU_SOURCE
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "link/proto_gen.h"
#include "machine.h"
#include "scale.h"
#include "true_peaks.h"

/* Faster than real time, the machine's clock runs ahead of a hub that is merely slow (a busy CI
 * core, a garbage collection): 100 ms of wall-clock stall is 3 s of machine time at 30x, longer than
 * the link's weight timeout. So at --speed above 1, once the hub has been heard, the machine waits
 * (its clock paused) when it has heard nothing for KEEP_UP_HOLD_MS of its own time, for up to
 * KEEP_UP_WAIT_S of wall-clock time; a hub silent longer than that is gone, and the machine runs on
 * to find the link lost exactly as the firmware would. At --speed 1 the machine never waits. */
#define KEEP_UP_HOLD_MS 400u
#define KEEP_UP_WAIT_S 1.0

static volatile sig_atomic_t stop_requested;
/* SIGUSR1: the owner fills the water tank (long soaks would otherwise run it dry, as they should). */
static volatile sig_atomic_t refill_requested;
static void on_refill(int sig) {
  (void)sig;
  refill_requested = 1;
}
static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

static void nonblock(int fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int open_pty(int *keep_slave) {
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) return -1;
  const char *name = ptsname(master);
  /* Hold the slave open in raw mode so the master never reads EIO while no hub is attached. */
  int slave = open(name, O_RDWR | O_NOCTTY);
  if (slave < 0) return -1;
  struct termios t;
  tcgetattr(slave, &t);
  cfmakeraw(&t);
  tcsetattr(slave, TCSANOW, &t);
  *keep_slave = slave;
  printf("pty: %s\n", name);
  fflush(stdout);
  return master;
}

/* Listens on 127.0.0.1:port (0: any free port) and announces the port on `announce` as "<label>: tcp 127.0.0.1:N". */
static int listen_tcp(int port, const char *label, FILE *announce) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 1) != 0 ||
      getsockname(s, (struct sockaddr *)&a, &len) != 0) {
    fprintf(stderr, "brewos-sim: cannot listen on 127.0.0.1:%d: %s\n", port, strerror(errno));
    close(s);
    return -1;
  }
  nonblock(s);
  fprintf(announce, "%s: tcp 127.0.0.1:%d\n", label, ntohs(a.sin_port));
  fflush(announce);
  return s;
}

/* Replace `path` with the peaks so far (written aside, then renamed: a reader never sees half). */
static void write_peaks(const char *path, const true_peaks_t *p) {
  char tmp[1024];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (f == NULL) return;
  true_peaks_write_json(p, f);
  if (fclose(f) == 0) rename(tmp, path);
}

/* How long the cup stays on the scale after a shot before the barista takes it away. */
#define CUP_KEPT_MS 8000u

/* The load cell of a scale under the cup, for a virtual BLE scale in the hub: the scale model's
 * readings (lag, period, jitter, drops, resolution) as text lines "w <sim_ms> <grams>". One reader at
 * a time; a new connection replaces the old one. */
typedef struct {
  int listen_fd, client_fd;
  sim_scale_t model;
} scale_stream_t;

static void scale_stream_tick(scale_stream_t *s, const sim_machine_t *m) {
  int c = accept(s->listen_fd, NULL, NULL);
  if (c >= 0) {
    if (s->client_fd >= 0) close(s->client_fd);
    nonblock(c);
    s->client_fd = c;
  }
  scale_record(&s->model, m->plant.hyd.cup_g);
  double g;
  if (!scale_poll(&s->model, (double)m->now_ms / 1000.0, &g) || s->client_fd < 0) return;
  if (m->plant.fault[FAULT_SCALE_LOST]) return; /* the scale went silent: nothing more to send */
  char line[64];
  int n = snprintf(line, sizeof line, "w %llu %.1f\n", (unsigned long long)m->now_ms, g);
  if (write(s->client_fd, line, (size_t)n) < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
    close(s->client_fd); /* the reader went away */
    s->client_fd = -1;
  }
}

int sim_serve(const plant_preset_t *machine, const serve_opts_t *o) {
  static sim_machine_t m;
  sim_machine_init(&m, machine, o->ambient_c, o->seed, o->noise_c, false);
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGUSR1, on_refill);
  int in_fd = -1, out_fd = -1, listen_fd = -1, keep_slave = -1;
  if (o->link == LINK_STDIO) {
    in_fd = 0;
    out_fd = 1;
  } else if (o->link == LINK_PTY) {
    in_fd = out_fd = open_pty(&keep_slave);
    if (in_fd < 0) {
      fprintf(stderr, "brewos-sim: cannot open a pty: %s\n", strerror(errno));
      return 1;
    }
  } else {
    listen_fd = listen_tcp(o->tcp_port, "tcp", stdout);
    if (listen_fd < 0) return 1;
  }
  static scale_stream_t scale;
  scale.listen_fd = scale.client_fd = -1;
  if (o->scale_port >= 0) {
    scale.listen_fd = listen_tcp(o->scale_port, "scale", stderr);
    if (scale.listen_fd < 0) return 1;
    scale_params_t sp = {PROTO_SCALE_MODEL_DECENT, 0.38, 100.0, 15.0, 0.02, 0.1}; /* peers.md: Decent, 10 Hz */
    scale_init(&scale.model, &sp, o->seed);
  }
  if (in_fd >= 0) nonblock(in_fd);
  fprintf(stderr, "brewos-sim: serving %s at %gx real time\n", machine->name, o->speed);
  double start = now_s();
  uint64_t cup_away_ms = 0;
  size_t next_event = 0;
  uint8_t buf[4096];
  true_peaks_t peaks;
  true_peaks_init(&peaks);
  bool hub_heard = false;
  uint32_t heard_ms = 0;
  double heard_wall_s = 0.0;
  while (!stop_requested) {
    if (listen_fd >= 0 && in_fd < 0) {
      int c = accept(listen_fd, NULL, NULL);
      if (c >= 0) {
        nonblock(c);
        in_fd = out_fd = c;
        fprintf(stderr, "brewos-sim: hub connected\n");
      }
    }
    if (in_fd >= 0) {
      ssize_t n = read(in_fd, buf, sizeof buf);
      if (n > 0) {
        sim_machine_rx(&m, buf, (size_t)n);
        hub_heard = true;
        heard_ms = m.now_ms;
        heard_wall_s = now_s();
      } else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EIO)) {
        if (o->link == LINK_STDIO) break; /* the hub closed our stdin: we are done */
        if (o->link == LINK_TCP) {
          close(in_fd);
          in_fd = out_fd = -1;
          hub_heard = false;
          fprintf(stderr, "brewos-sim: hub disconnected\n");
        }
      }
    }
    if (o->speed > 1.0 && hub_heard && m.now_ms - heard_ms >= KEEP_UP_HOLD_MS &&
        now_s() - heard_wall_s < KEEP_UP_WAIT_S) {
      double held_from = now_s();
      struct timespec ts = {0, 1000000L};
      nanosleep(&ts, NULL);
      start += now_s() - held_from; /* the paused wall time is not owed to the machine's clock */
      continue;
    }
    if (o->events) {
      while (next_event < o->events->event_count && o->events->events[next_event].t_s * 1000.0 <= m.now_ms) {
        const scenario_event_t *e = &o->events->events[next_event++];
        if (e->kind == EV_FAULT) plant_set_fault(&m.plant, e->fault, true);
        if (e->kind == EV_CLEAR_FAULT) plant_set_fault(&m.plant, e->fault, false);
        if (e->kind == EV_SHOT) hydraulics_load_puck(&m.plant.hyd, &e->puck);
      }
    }
    /* The barista: a fresh puck for every shot; the cup stays on the scale for a while after a shot
     * (drips, settling) and is then taken away. A shot started sooner keeps the cup (the hub tares). */
    if (!m.plant.hyd.has_puck && (m.ctl.shot.running || m.now_ms >= cup_away_ms)) {
      puck_params_t p = {18.0, 2.25, 0.6, 8.0, 1.1};
      double cup_g = m.plant.hyd.cup_g;
      hydraulics_load_puck(&m.plant.hyd, &p);
      if (m.ctl.shot.running) m.plant.hyd.cup_g = cup_g;
    }
    if (refill_requested) {
      refill_requested = 0;
      m.plant.tank_ml = m.plant.pre.tank_ml;
      fprintf(stderr, "brewos-sim: tank refilled (%.0f ml)\n", m.plant.tank_ml);
    }
    bool was_running = m.ctl.shot.running;
    sim_machine_tick(&m);
    true_peaks_sample(&peaks, &m);
    if (o->peaks_path && m.now_ms % 1000u == 0u) write_peaks(o->peaks_path, &peaks);
    if (was_running && !m.ctl.shot.running) {
      m.plant.hyd.has_puck = false;
      cup_away_ms = m.now_ms + CUP_KEPT_MS;
    }
    if (scale.listen_fd >= 0) scale_stream_tick(&scale, &m);
    size_t n;
    while ((n = sim_machine_tx(&m, buf, sizeof buf)) > 0) {
      if (out_fd < 0) continue;
      size_t off = 0;
      while (off < n) {
        ssize_t w = write(out_fd, buf + off, n - off);
        if (w > 0)
          off += (size_t)w;
        else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EIO))
          break; /* nobody reading: drop */
        else
          break;
      }
    }
    double due = start + (m.now_ms / 1000.0) / o->speed;
    double wait = due - now_s();
    if (wait > 0) {
      struct timespec ts = {(time_t)wait, (long)((wait - floor(wait)) * 1e9)};
      nanosleep(&ts, NULL);
    }
  }
  if (keep_slave >= 0) close(keep_slave);
  if (scale.client_fd >= 0) close(scale.client_fd);
  if (scale.listen_fd >= 0) close(scale.listen_fd);
  fprintf(stderr, "brewos-sim: stopped after %.1f s simulated\n", m.now_ms / 1000.0);
  return 0;
}
