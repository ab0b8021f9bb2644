/*
 * The machine display on Linux: the UI (ui/) on the Linux framebuffer with evdev touch, or headless
 * (a memory framebuffer; touches, screenshots and a redraw benchmark driven by lines on stdin, for
 * tests and `npm start`), talking to the hub over its display socket (link/).
 *
 *   brewos-display --socket DATA/display.sock [--size 480x480] [--round]
 *                  [--fbdev /dev/fb0 --touch /dev/input/event0 | --headless [--png FILE [--every-ms N]]]
 *
 * Headless commands (one per line): `press NAME` (a touch on that widget's centre, through LVGL's
 * pointer input), `png PATH`, `text NAME`, `enabled NAME`, `screen`, `bench FRAMES`, `quit`. It prints
 * `screen NAME` whenever another screen comes on top, and answers each command with one line.
 * With --png, headless writes the screen to FILE every N ms (default 1000): the window-less display
 * of `npm start -- --display`.
 */
#define _DEFAULT_SOURCE /* usleep */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "display_state.h"
#include "hub_link.h"
#include "hub_messages.h"
#include "png_write.h"
#include "ui.h"

static uint32_t now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint32_t)((uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u);
}

typedef struct {
  display_state_t state;
  hub_link_t *hub;
  int next_id;
  bool changed;
  bool statistics_asked; /* since this connection to the hub */
} app_t;

static void send_line(app_t *a, const char *line) {
  if (!hub_link_send(a->hub, line)) fprintf(stderr, "display: not sent (no hub): %s\n", line);
}

static void act_power(void *ctx, bool on) {
  app_t *a = ctx;
  char m[160];
  hub_command_power(m, sizeof m, ++a->next_id, on);
  send_line(a, m);
}
static void act_start(void *ctx) {
  app_t *a = ctx;
  char m[256];
  hub_command_start_shot(m, sizeof m, ++a->next_id, &a->state);
  send_line(a, m);
}
static void act_stop(void *ctx) {
  app_t *a = ctx;
  char m[160];
  hub_command_stop_shot(m, sizeof m, ++a->next_id);
  send_line(a, m);
}
static void act_clear(void *ctx) {
  app_t *a = ctx;
  char m[160];
  hub_command_clear_fault(m, sizeof m, ++a->next_id);
  send_line(a, m);
}
static void act_pairing(void *ctx, bool open) {
  app_t *a = ctx;
  char m[200];
  hub_request_pairing(m, sizeof m, open);
  send_line(a, m);
}
static void act_open_pairing(void *ctx) {
  act_pairing(ctx, true);
}
static void act_close_pairing(void *ctx) {
  act_pairing(ctx, false);
}

static void on_hub_line(void *ctx, const char *line) {
  app_t *a = ctx;
  bool was_brewing = a->state.brewing;
  if (hub_message_apply(&a->state, line)) a->changed = true;
  /* At connect, and after each shot, the maintenance counters may have moved. */
  if ((was_brewing && !a->state.brewing) || !a->statistics_asked) {
    a->statistics_asked = true;
    char m[128];
    hub_request_statistics(m, sizeof m);
    hub_link_send(a->hub, m);
  }
}

/* The pointer the headless commands drive. */
static struct {
  bool pressed;
  int32_t x, y;
} touch;

static void touch_read(lv_indev_t *indev, lv_indev_data_t *data) {
  (void)indev;
  data->point.x = touch.x;
  data->point.y = touch.y;
  data->state = touch.pressed ? LV_INDEV_STATE_PRESSED : LV_INDEV_STATE_RELEASED;
}

/* Pixels handed to the panel (the bench checks a redraw really covers the screen). */
static uint64_t flushed_px;

static void headless_flush(lv_display_t *d, const lv_area_t *area, uint8_t *px) {
  (void)px;
  flushed_px += (uint64_t)lv_area_get_width(area) * (uint64_t)lv_area_get_height(area);
  lv_display_flush_ready(d);
}

static int cmp_float(const void *x, const void *y) {
  float a = *(const float *)x, b = *(const float *)y;
  return (a > b) - (a < b);
}

static void command(char *line, lv_display_t *disp, lv_indev_t *indev, const uint16_t *frame, bool *quit) {
  line[strcspn(line, "\r\n")] = 0;
  char *arg = strchr(line, ' ');
  if (arg) *arg++ = 0;
  if (strcmp(line, "press") == 0 && arg) {
    lv_obj_t *o = ui_named(arg);
    if (!o || lv_obj_has_flag(o, LV_OBJ_FLAG_HIDDEN) || !lv_obj_is_visible(o)) {
      printf("error %s is not on the screen\n", arg);
      return;
    }
    lv_area_t c;
    lv_obj_get_coords(o, &c);
    touch.x = (c.x1 + c.x2) / 2;
    touch.y = (c.y1 + c.y2) / 2;
    touch.pressed = true;
    lv_indev_read(indev);
    touch.pressed = false;
    lv_indev_read(indev);
    printf("pressed %s at %d,%d\n", arg, (int)touch.x, (int)touch.y);
  } else if (strcmp(line, "png") == 0 && arg) {
    /* The picture once state transitions (a button fading in) have run out, at most 1 s. */
    for (uint32_t t0 = now_ms(); lv_anim_count_running() > 0 && now_ms() - t0 < 1000;) {
      lv_timer_handler();
      usleep(5000);
    }
    lv_refr_now(disp);
    bool ok = png_write_rgb565(arg, frame, (uint32_t)lv_display_get_horizontal_resolution(disp),
                               (uint32_t)lv_display_get_vertical_resolution(disp));
    printf(ok ? "png %s\n" : "error png %s not written\n", arg);
  } else if (strcmp(line, "text") == 0 && arg) {
    fputs("text ", stdout); /* one line: a newline in the label goes as \n */
    for (const char *c = ui_text(arg); *c; c++)
      if (*c == '\n')
        fputs("\\n", stdout);
      else if (*c == '\\')
        fputs("\\\\", stdout);
      else
        putchar(*c);
    putchar('\n');
  } else if (strcmp(line, "enabled") == 0 && arg) {
    lv_obj_t *o = ui_named(arg);
    if (o)
      printf("enabled %d\n", !lv_obj_has_state(o, LV_STATE_DISABLED));
    else
      printf("error no widget %s\n", arg);
  } else if (strcmp(line, "screen") == 0) {
    printf("screen %s\n", ui_screen_name());
  } else if (strcmp(line, "bench") == 0) {
    int frames = arg ? atoi(arg) : 100;
    if (frames < 1 || frames > 10000) frames = 100;
    float *ms = malloc(sizeof(float) * (size_t)frames);
    struct timespec t0, t1;
    uint64_t px_before = flushed_px;
    for (int i = 0; i < frames; i++) {
      lv_obj_invalidate(lv_display_get_screen_active(disp));
      clock_gettime(CLOCK_MONOTONIC, &t0);
      lv_refr_now(disp);
      clock_gettime(CLOCK_MONOTONIC, &t1);
      ms[i] = (float)(t1.tv_sec - t0.tv_sec) * 1000.0f + (float)(t1.tv_nsec - t0.tv_nsec) / 1e6f;
    }
    double sum = 0;
    for (int i = 0; i < frames; i++) sum += ms[i];
    qsort(ms, (size_t)frames, sizeof(float), cmp_float);
    printf(
        "bench {\"width\":%d,\"height\":%d,\"screen\":\"%s\",\"frames\":%d,\"full_redraw_mean_ms\":%.2f,"
        "\"full_redraw_p50_ms\":%.2f,\"full_redraw_p99_ms\":%.2f,\"full_redraw_max_ms\":%.2f,"
        "\"pixels_drawn_per_frame\":%llu}\n",
        (int)lv_display_get_horizontal_resolution(disp), (int)lv_display_get_vertical_resolution(disp),
        ui_screen_name(), frames, sum / frames, (double)ms[frames / 2], (double)ms[(frames * 99) / 100],
        (double)ms[frames - 1], (unsigned long long)((flushed_px - px_before) / (uint64_t)frames));
    free(ms);
  } else if (strcmp(line, "quit") == 0) {
    *quit = true;
    printf("bye\n");
  } else if (line[0]) {
    printf("error unknown command %s\n", line);
  }
}

int main(int argc, char **argv) {
  const char *socket_path = NULL, *fbdev = NULL, *touch_dev = NULL;
  int width = 480, height = 480;
  bool headless = false, round_panel = false;
  const char *png_path = NULL;
  int png_every_ms = 1000;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc)
      socket_path = argv[++i];
    else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc && sscanf(argv[i + 1], "%dx%d", &width, &height) == 2)
      i++;
    else if (strcmp(argv[i], "--fbdev") == 0 && i + 1 < argc)
      fbdev = argv[++i];
    else if (strcmp(argv[i], "--touch") == 0 && i + 1 < argc)
      touch_dev = argv[++i];
    else if (strcmp(argv[i], "--headless") == 0)
      headless = true;
    else if (strcmp(argv[i], "--round") == 0)
      round_panel = true;
    else if (strcmp(argv[i], "--png") == 0 && i + 1 < argc)
      png_path = argv[++i];
    else if (strcmp(argv[i], "--every-ms") == 0 && i + 1 < argc && (png_every_ms = atoi(argv[i + 1])) >= 100)
      i++;
    else {
      fprintf(stderr,
              "usage: %s --socket PATH [--size WxH] [--headless [--png FILE [--every-ms N>=100]] | --fbdev DEV --touch "
              "DEV]\n",
              argv[0]);
      return 2;
    }
  }
  if (!socket_path || width < 160 || height < 160 || width > 2048 || height > 2048 || (!headless && !fbdev)) {
    fprintf(stderr, "brewos-display: needs --socket and --headless or --fbdev (sizes 160..2048)\n");
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);

  lv_init();
  lv_tick_set_cb(now_ms);
  lv_display_t *disp = NULL;
  lv_indev_t *indev = NULL;
  uint16_t *frame = NULL;
  if (headless) {
    disp = lv_display_create(width, height);
    lv_display_set_color_format(disp, LV_COLOR_FORMAT_RGB565);
    size_t bytes = (size_t)width * (size_t)height * 2;
    frame = malloc(bytes);
    lv_display_set_buffers(disp, frame, NULL, (uint32_t)bytes, LV_DISPLAY_RENDER_MODE_DIRECT);
    lv_display_set_flush_cb(disp, headless_flush);
    indev = lv_indev_create();
    lv_indev_set_type(indev, LV_INDEV_TYPE_POINTER);
    lv_indev_set_read_cb(indev, touch_read);
    lv_indev_set_display(indev, disp);
  } else {
    disp = lv_linux_fbdev_create();
    lv_linux_fbdev_set_file(disp, fbdev);
    if (touch_dev) indev = lv_evdev_create(LV_INDEV_TYPE_POINTER, touch_dev);
  }

  app_t app = {0};
  display_state_init(&app.state);
  app.hub = hub_link_open(socket_path, on_hub_line, &app);
  ui_actions_t actions = {act_power, act_start, act_stop, act_open_pairing, act_close_pairing, act_clear, &app};
  ui_create(disp, &actions, round_panel);
  const char *shown = "";
  bool quit = false;
  char in[4096];
  bool headless_stdin_closed = false;
  size_t in_used = 0;
  uint32_t shown_at_ms = 0, png_at_ms = 0;
  char png_tmp[4096];
  if (png_path) snprintf(png_tmp, sizeof png_tmp, "%s.tmp", png_path);
  while (!quit) {
    uint32_t t = now_ms();
    hub_link_service(app.hub, t);
    bool up = hub_link_up(app.hub);
    if (up != app.state.hub_up) {
      app.state.hub_up = up;
      if (!up) app.statistics_asked = false; /* ask again on the next connection */
      app.changed = true;
    }
    if (app.changed || t - shown_at_ms >= 250) { /* the result screen's time-out runs on the clock */
      ui_show(&app.state, t);
      shown_at_ms = t;
    }
    app.changed = false;
    if (strcmp(shown, ui_screen_name()) != 0) {
      shown = ui_screen_name();
      printf("screen %s\n", shown);
    }
    uint32_t wait = lv_timer_handler();
    if (png_path && headless && t - png_at_ms >= (uint32_t)png_every_ms) {
      png_at_ms = t;
      lv_refr_now(disp);
      if (png_write_rgb565(png_tmp, frame, (uint32_t)width, (uint32_t)height)) rename(png_tmp, png_path);
    }
    if (wait > 33) wait = 33;
    struct pollfd fds[2] = {{.fd = hub_link_fd(app.hub), .events = POLLIN},
                            {.fd = headless && !headless_stdin_closed ? 0 : -1, .events = POLLIN}};
    if (poll(fds, 2, (int)wait) > 0 && (fds[1].revents & (POLLIN | POLLHUP))) {
      ssize_t n = read(0, in + in_used, sizeof in - 1 - in_used);
      if (n <= 0) { /* stdin closed: whoever drove the display is gone (or, with --png, never there) */
        if (png_path) {
          headless_stdin_closed = true;
          continue;
        }
        break;
      }
      in_used += (size_t)n;
      in[in_used] = 0;
      char *start = in, *nl;
      while (!quit && (nl = strchr(start, '\n'))) {
        *nl = 0;
        command(start, disp, indev, frame, &quit);
        start = nl + 1;
      }
      in_used = (size_t)(in + in_used - start);
      memmove(in, start, in_used);
      if (in_used == sizeof in - 1) in_used = 0; /* a line longer than any command */
    }
  }
  hub_link_close(app.hub);
  (void)indev;
  return 0;
}
