/* brewos-sim: the BrewOS controller core on a simulated espresso machine.
 *   brewos-sim run --scenario FILE [--controller brewos|baseline]
 *   brewos-sim serve --machine PRESET|FILE.json --link stdio|pty|tcp:PORT [--speed N] [--scenario FILE]
 *                    [--scale tcp:PORT] */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "presets.h"
#include "runner.h"
#include "boot_rom.h"
#include "serve.h"

static int usage(void) {
  fprintf(
      stderr,
      "usage:\n"
      "  brewos-sim run --scenario FILE.json [--controller brewos|baseline] [--trace SHOTS.csv]\n"
      "  brewos-sim serve --machine dual_boiler|single_boiler|heat_exchanger|FILE.json\n"
      "                   --link stdio|pty|tcp:PORT (0 = any free port) [--speed N] [--scenario FILE.json] [--seed N]\n"
      "                   [--scale tcp:PORT]   (the virtual scale's load cell; 0 = any free port)\n"
      "                   [--peaks FILE]       (true water peaks as JSON, every simulated second)\n"
      "                   [--flash FILE]       (the A/B image flash; created with the factory image)\n"
      "                   [--power-cut-after N] (the board loses power after N more flash bytes)\n"
      "  brewos-sim image --version X.Y.Z --out FILE [--proto N] [--kib N] [--behaviour good|selftest-fails|deaf]\n"
      "                   [--as release|factory]\n");
  return 2;
}

static const char *arg(int argc, char **argv, const char *name) {
  for (int i = 2; i + 1 < argc; i++) {
    if (strcmp(argv[i], name) == 0) return argv[i + 1];
  }
  return NULL;
}

static bool load_machine(const char *spec, plant_preset_t *out) {
  const plant_preset_t *p = preset_find(spec);
  if (p) {
    *out = *p;
    return true;
  }
  /* A machine file is the "machine" object of a scenario. */
  FILE *f = fopen(spec, "rb");
  if (f == NULL) {
    fprintf(stderr,
            "brewos-sim: %s is neither a preset (dual_boiler, dual_boiler_gear, single_boiler, heat_exchanger) nor a "
            "file\n",
            spec);
    return false;
  }
  static char text[65536];
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = 0;
  static char wrapped[66000];
  snprintf(wrapped, sizeof wrapped, "{\"machine\": %s, \"duration_s\": 1}", text);
  static scenario_t s;
  char err[256];
  if (!scenario_parse(wrapped, &s, err, sizeof err)) {
    fprintf(stderr, "brewos-sim: %s: %s\n", spec, err);
    return false;
  }
  *out = s.machine;
  return true;
}

int main(int argc, char **argv) {
  /* A reader that went away (a closed stderr or link pipe) must not turn an argument error into a
   * death by SIGPIPE: writes fail with EPIPE instead, and the exit status stays the documented one. */
  signal(SIGPIPE, SIG_IGN);
  if (argc < 2) return usage();
  if (strcmp(argv[1], "image") == 0) return boot_rom_image_main(argc - 2, argv + 2);
  static scenario_t s;
  char err[512];
  const char *scenario = arg(argc, argv, "--scenario");
  if (scenario && !scenario_load(scenario, &s, err, sizeof err)) {
    fprintf(stderr, "brewos-sim: %s\n", err);
    return 2;
  }
  if (strcmp(argv[1], "run") == 0) {
    if (!scenario) return usage();
    const char *ctl = arg(argc, argv, "--controller");
    bool baseline = ctl && strcmp(ctl, "baseline") == 0;
    sim_trace_path = arg(argc, argv, "--trace");
    if (ctl && !baseline && strcmp(ctl, "brewos") != 0) return usage();
    static report_t r;
    if (!sim_run(&s, baseline, &r)) return 1;
    report_print(&r, s.name, s.machine.name, baseline);
    report_free(&r);
    return 0;
  }
  if (strcmp(argv[1], "serve") == 0) {
    const char *machine = arg(argc, argv, "--machine");
    const char *link = arg(argc, argv, "--link");
    if (!machine || !link) return usage();
    static plant_preset_t pre;
    if (!load_machine(machine, &pre)) return 2;
    serve_opts_t o = {LINK_STDIO, 0, 1.0, scenario ? &s : NULL, 22.0, 0.05, 1, -1, arg(argc, argv, "--peaks")};
    if (strcmp(link, "stdio") == 0)
      o.link = LINK_STDIO;
    else if (strcmp(link, "pty") == 0)
      o.link = LINK_PTY;
    else if (strncmp(link, "tcp:", 4) == 0) {
      o.link = LINK_TCP;
      char *end;
      long port = strtol(link + 4, &end, 10);
      if (*end != '\0' || end == link + 4 || port < 0 || port > 65535) return usage();
      o.tcp_port = (int)port; /* 0: any free port, announced on stdout */
    } else {
      return usage();
    }
    const char *speed = arg(argc, argv, "--speed");
    if (speed) o.speed = atof(speed);
    if (o.speed <= 0.0 || o.speed > 1000.0) {
      fprintf(stderr, "brewos-sim: --speed must be in (0, 1000]\n");
      return 2;
    }
    const char *scale = arg(argc, argv, "--scale");
    if (scale) {
      if (strncmp(scale, "tcp:", 4) != 0) return usage();
      char *end;
      long port = strtol(scale + 4, &end, 10);
      if (*end != '\0' || end == scale + 4 || port < 0 || port > 65535) return usage();
      o.scale_port = (int)port;
    }
    const char *seed = arg(argc, argv, "--seed");
    if (seed) o.seed = strtoull(seed, NULL, 10);
    const char *flash = arg(argc, argv, "--flash");
    if (!boot_rom_open(flash)) {
      fprintf(stderr, "brewos-sim: cannot open the flash %s\n", flash ? flash : "(memory)");
      return 2;
    }
    const char *cut = arg(argc, argv, "--power-cut-after");
    if (cut) boot_rom_cut_after(strtoll(cut, NULL, 10));
    if (!boot_rom_boot()) {
      fprintf(stderr, "brewos-sim: boot ROM: no bootable image in either slot\n");
      return 4;
    }
    return sim_serve(&pre, &o);
  }
  return usage();
}
