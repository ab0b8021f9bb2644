/* Firmware updates on the simulated board: the real controller core and updater over real frames,
 * the simulated boot ROM with A/B slots and try-before-you-buy on a flash file. Power cuts are real
 * process deaths (a forked board), after which the next board boots from the same file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boot_rom.h"
#include "harness.h"
#include "update/sha256.h"

#define V010 0x000100u /* the factory image */
#define V020 0x000200u
#define IMAGE_KIB 8u

static harness_t h;
static uint8_t image[BOOT_ROM_SLOT_BYTES];
static size_t image_len;
static char flash_path[64];

static void sha256_of(const uint8_t *p, size_t n, uint8_t out[32]) {
  sha256_t s;
  sha256_init(&s);
  sha256_update(&s, p, n);
  sha256_final(&s, out);
}

static void hex_equal(const uint8_t *got, const char *want) {
  char hex[65];
  for (int i = 0; i < 32; i++) sprintf(hex + 2 * i, "%02x", got[i]);
  assert_string_equal(hex, want);
}

static void sha256_matches_fips_examples(void **state) {
  (void)state;
  uint8_t d[32];
  sha256_of((const uint8_t *)"abc", 3, d);
  hex_equal(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  sha256_of((const uint8_t *)two, strlen(two), d);
  hex_equal(d, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  sha256_t s; /* in uneven pieces */
  sha256_init(&s);
  for (size_t i = 0; i < strlen(two); i += 7)
    sha256_update(&s, (const uint8_t *)two + i, strlen(two) - i < 7 ? strlen(two) - i : 7);
  sha256_final(&s, d);
  hex_equal(d, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* A board powered on from the flash file (the boot ROM picks the image). */
static void power_on(void) {
  assert_true(boot_rom_open(flash_path));
  assert_true(boot_rom_boot());
  harness_init(&h, "dual_boiler");
  harness_hello(&h, PROTO_VERSION_MAJOR);
  h.send_desired = true;
  harness_run(&h, 20);
}

static void fresh_flash(void) {
  snprintf(flash_path, sizeof flash_path, "/tmp/brewos-update-%d.flash", (int)getpid());
  unlink(flash_path);
}

static void make_image(uint32_t version, uint8_t flags) {
  image_len = boot_rom_make_image(image, sizeof image, version, PROTO_VERSION_MAJOR, flags, IMAGE_KIB * 1024u);
}

static uint8_t send_ack(proto_msg_t *m) {
  uint8_t type = m->type;
  uint16_t seq = harness_send(&h, m);
  harness_run(&h, 10);
  const proto_msg_t *a = harness_ack(&h, type, seq);
  assert_non_null(a);
  return a->u.ack.result;
}

static uint8_t offer(uint32_t version, const uint8_t *img, size_t len) {
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_UPDATE_OFFER;
  m.u.update_offer.version = version;
  m.u.update_offer.size = (uint32_t)len;
  m.u.update_offer.sha256_len = 32;
  sha256_of(img, len, m.u.update_offer.sha256);
  return send_ack(&m);
}

static uint8_t chunk(const uint8_t *img, size_t len, uint32_t at) {
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_UPDATE_CHUNK;
  m.u.update_chunk.offset = at;
  m.u.update_chunk.data_len = (uint8_t)(len - at < 224u ? len - at : 224u);
  memcpy(m.u.update_chunk.data, img + at, m.u.update_chunk.data_len);
  return send_ack(&m);
}

static uint8_t finish(uint32_t version) {
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_UPDATE_FINISH;
  m.u.update_finish.version = version;
  return send_ack(&m);
}

static void send_all(const uint8_t *img, size_t len, uint32_t from) {
  for (uint32_t at = from; at < len; at += 224u) assert_int_equal(chunk(img, len, at), PROTO_ACK_RESULT_OK);
}

static const proto_update_status_t *status(void) {
  const proto_msg_t *s = harness_last(&h, PROTO_MSG_UPDATE_STATUS);
  assert_non_null(s);
  return &s->u.update_status;
}

/* Run until the board rebooted (a new controller_hello), then say hello as the hub would. */
static void run_until_reboot(uint32_t max_ms) {
  size_t hellos = harness_count(&h, PROTO_MSG_CONTROLLER_HELLO);
  for (uint32_t t = 0; t < max_ms && harness_count(&h, PROTO_MSG_CONTROLLER_HELLO) == hellos; t += 10)
    harness_run(&h, 10);
  assert_true(harness_count(&h, PROTO_MSG_CONTROLLER_HELLO) > hellos);
  harness_hello(&h, PROTO_VERSION_MAJOR);
  harness_run(&h, 20);
}

static uint32_t hello_version(void) {
  const proto_controller_hello_t *c = &harness_last(&h, PROTO_MSG_CONTROLLER_HELLO)->u.controller_hello;
  return (uint32_t)c->fw_major << 16 | (uint32_t)c->fw_minor << 8 | c->fw_patch;
}

static void update_boots_on_trial_and_confirms_itself(void **state) {
  (void)state;
  fresh_flash();
  power_on();
  assert_int_equal(status()->running_version, V010);
  make_image(V020, SIM_IMAGE_FLAG_TRIAL);
  assert_int_equal(offer(V020, image, image_len), PROTO_ACK_RESULT_OK);
  assert_int_equal(status()->result, PROTO_UPDATE_RESULT_STARTED);
  send_all(image, image_len, 0);
  assert_int_equal(finish(V020), PROTO_ACK_RESULT_OK);
  run_until_reboot(2000);
  assert_int_equal(hello_version(), V020);
  assert_int_equal(h.m.ctl.update.state, PROTO_UPDATE_STATE_TRIAL);
  harness_run(&h, 3000); /* a full round of self-tests, the hub is there: bought */
  assert_int_equal(status()->result, PROTO_UPDATE_RESULT_CONFIRMED);
  assert_int_equal(status()->boot, PROTO_BOOT_STATE_CONFIRMED);
  power_on(); /* a power cycle keeps the new image */
  assert_int_equal(status()->running_version, V020);
  assert_int_equal(status()->other_version, V010);
  assert_int_equal(status()->boot, PROTO_BOOT_STATE_CONFIRMED);
  unlink(flash_path);
}

static void heaters_stay_off_from_offer_to_confirmation(void **state) {
  (void)state;
  fresh_flash();
  power_on();
  harness_run(&h, 3000);
  assert_true(h.m.out.brew_heater_on || h.m.ctl.brew_duty > 0); /* heating towards 93 degC */
  make_image(V020, SIM_IMAGE_FLAG_TRIAL);
  assert_int_equal(offer(V020, image, image_len), PROTO_ACK_RESULT_OK);
  for (uint32_t at = 0; at < image_len; at += 224u) {
    assert_int_equal(chunk(image, image_len, at), PROTO_ACK_RESULT_OK);
    assert_false(h.m.out.brew_heater_on || h.m.out.steam_heater_on);
  }
  proto_msg_t shot;
  memset(&shot, 0, sizeof shot);
  shot.type = PROTO_MSG_SHOT_START;
  shot.u.shot_start.shot_token = 7;
  assert_int_equal(send_ack(&shot), PROTO_ACK_RESULT_BUSY);
  assert_int_equal(finish(V020), PROTO_ACK_RESULT_OK);
  size_t hellos = harness_count(&h, PROTO_MSG_CONTROLLER_HELLO);
  while (harness_count(&h, PROTO_MSG_CONTROLLER_HELLO) == hellos) {
    harness_run(&h, 10);
    assert_false(h.m.out.brew_heater_on || h.m.out.steam_heater_on);
  }
  harness_hello(&h, PROTO_VERSION_MAJOR);
  while (h.m.ctl.update.state == PROTO_UPDATE_STATE_TRIAL) {
    harness_run(&h, 10);
    assert_false(h.m.out.brew_heater_on || h.m.out.steam_heater_on);
  }
  harness_run(&h, 2000);
  assert_true(h.m.ctl.brew_duty > 0); /* confirmed: heating again */
  unlink(flash_path);
}

static void a_flipped_byte_an_older_image_or_a_gap_is_refused_before_switching(void **state) {
  (void)state;
  fresh_flash();
  power_on();
  make_image(V020, SIM_IMAGE_FLAG_TRIAL);
  assert_int_equal(offer(V010, image, image_len), PROTO_ACK_RESULT_REJECTED_STATE);
  assert_int_equal(status()->result, PROTO_UPDATE_RESULT_NOT_NEWER);
  assert_int_equal(offer(0x000009u, image, image_len), PROTO_ACK_RESULT_REJECTED_STATE);
  assert_int_equal(offer(V020, image, image_len), PROTO_ACK_RESULT_OK);
  assert_int_equal(chunk(image, image_len, 448), PROTO_ACK_RESULT_OUT_OF_ORDER);
  assert_int_equal(status()->next_offset, 0);
  static uint8_t damaged[BOOT_ROM_SLOT_BYTES];
  memcpy(damaged, image, image_len);
  damaged[5000] ^= 0x10u; /* one bit flipped on the way: every frame is still well-formed */
  send_all(damaged, image_len, 0);
  assert_int_equal(finish(V020), PROTO_ACK_RESULT_OK);
  harness_run(&h, 200);
  assert_int_equal(status()->result, PROTO_UPDATE_RESULT_HASH_MISMATCH);
  assert_int_equal(status()->state, PROTO_UPDATE_STATE_IDLE);
  harness_run(&h, 2000);
  assert_int_equal(hello_version(), V010); /* no reboot */
  unlink(flash_path);
}

static void a_restarted_hub_resumes_where_the_controller_is(void **state) {
  (void)state;
  fresh_flash();
  power_on();
  make_image(V020, SIM_IMAGE_FLAG_TRIAL);
  assert_int_equal(offer(V020, image, image_len), PROTO_ACK_RESULT_OK);
  for (uint32_t at = 0; at < 10u * 224u; at += 224u) assert_int_equal(chunk(image, image_len, at), PROTO_ACK_RESULT_OK);
  harness_hello(&h, PROTO_VERSION_MAJOR); /* the hub restarted and says hello */
  harness_run(&h, 20);
  assert_int_equal(status()->next_offset, 10u * 224u);
  assert_int_equal(offer(V020, image, image_len), PROTO_ACK_RESULT_OK);
  assert_int_equal(status()->result, PROTO_UPDATE_RESULT_RESUMED);
  send_all(image, image_len, 10u * 224u);
  assert_int_equal(finish(V020), PROTO_ACK_RESULT_OK);
  run_until_reboot(2000);
  harness_run(&h, 3000);
  assert_int_equal(status()->result, PROTO_UPDATE_RESULT_CONFIRMED);
  unlink(flash_path);
}

/* Update to an image that misbehaves on trial; returns the boot state after it fell back. */
static void trial_falls_back(uint8_t behaviour, uint8_t reason_seen) {
  fresh_flash();
  power_on();
  make_image(V020, (uint8_t)(SIM_IMAGE_FLAG_TRIAL | behaviour));
  assert_int_equal(offer(V020, image, image_len), PROTO_ACK_RESULT_OK);
  send_all(image, image_len, 0);
  assert_int_equal(finish(V020), PROTO_ACK_RESULT_OK);
  run_until_reboot(2000);
  size_t hellos = harness_count(&h, PROTO_MSG_CONTROLLER_HELLO);
  uint32_t trial_ms = h.m.now_ms;
  assert_int_equal(h.m.ctl.update.state, PROTO_UPDATE_STATE_TRIAL);
  bool reported = false;
  for (uint32_t t = 0; t < 20000 && hello_version() != V010; t += 10) { /* a deaf image repeats its hello */
    harness_run(&h, 10);
    reported |= status()->result == PROTO_UPDATE_RESULT_SELFTEST_FAILED;
  }
  assert_true(harness_count(&h, PROTO_MSG_CONTROLLER_HELLO) > hellos);
  assert_int_equal(h.m.ctl.hooks.reset_reason, reason_seen);
  assert_int_equal(reported, reason_seen == PROTO_RESET_REASON_SOFTWARE); /* said why before it went */
  if (reason_seen == PROTO_RESET_REASON_WATCHDOG) assert_in_range(h.m.now_ms - trial_ms, 16000, 17500);
  harness_hello(&h, PROTO_VERSION_MAJOR);
  harness_run(&h, 20);
  assert_int_equal(status()->running_version, V010);
  assert_int_equal(status()->boot, PROTO_BOOT_STATE_ROLLED_BACK);
  assert_int_equal(status()->result, PROTO_UPDATE_RESULT_ROLLED_BACK);
  assert_int_equal(status()->other_version, V020);
  power_on(); /* and after a power cycle too */
  assert_int_equal(status()->running_version, V010);
  unlink(flash_path);
}

static void an_image_failing_its_self_test_is_rolled_back(void **state) {
  (void)state;
  trial_falls_back(SIM_IMAGE_FLAG_SELFTEST_FAILS, PROTO_RESET_REASON_SOFTWARE);
}

static void an_image_that_never_hears_the_hub_is_rolled_back_by_the_trial_watchdog(void **state) {
  (void)state;
  trial_falls_back(SIM_IMAGE_FLAG_DEAF, PROTO_RESET_REASON_WATCHDOG);
}

/* A board that loses power after `cut` flash bytes of the update; then the next one powers on. */
static uint32_t cut_and_power_on(long long cut, bool *bricked, bool *cut_happened) {
  fresh_flash();
  pid_t pid = fork();
  if (pid == 0) {
    power_on();
    make_image(V020, SIM_IMAGE_FLAG_TRIAL);
    boot_rom_cut_after(cut);
    if (offer(V020, image, image_len) != PROTO_ACK_RESULT_OK) _exit(1);
    for (uint32_t at = 0; at < image_len; at += 224u) (void)chunk(image, image_len, at);
    (void)finish(V020);
    harness_run(&h, 500);
    harness_hello(&h, PROTO_VERSION_MAJOR);
    harness_run(&h, 3000);
    _exit(0); /* no cut: the update went through */
  }
  int st = 0;
  waitpid(pid, &st, 0);
  *cut_happened = WIFEXITED(st) && WEXITSTATUS(st) == 75;
  assert_true(WIFEXITED(st) && (WEXITSTATUS(st) == 75 || WEXITSTATUS(st) == 0));
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  pid = fork();
  if (pid == 0) {
    uint32_t v = 0;
    if (boot_rom_open(flash_path) && boot_rom_boot()) v = boot_rom_running()->version;
    (void)write(fds[1], &v, sizeof v);
    _exit(0);
  }
  uint32_t v = 0;
  assert_int_equal(read(fds[0], &v, sizeof v), (ssize_t)sizeof v);
  waitpid(pid, &st, 0);
  close(fds[0]);
  close(fds[1]);
  unlink(flash_path);
  *bricked = v == 0;
  return v;
}

static void a_power_cut_at_any_flash_byte_leaves_a_bootable_board(void **state) {
  (void)state;
  /* Flash bytes an update touches: 3 sector erases and 33 pages for the 8 KiB image, then the
   * buy rewrites one sector (erase + program). Every 64th byte: the flash only changes in whole
   * pages and sectors (multiples of 64), so a cut between two chunks on the link is one of these. */
  unsigned cuts = 0, old = 0, updated = 0, bricked_n = 0;
  /* Per phase: cuts in the transfer (erases and page writes), in the buy, and runs never cut. */
  unsigned phase_cuts[3] = {0}, phase_old[3] = {0};
  const long long transfer_bytes = 3 * 4096 + 33 * 256;
  for (long long cut = 0; cut <= transfer_bytes + 2 * 4096 + 64; cut += 64) {
    bool bricked, happened;
    uint32_t v = cut_and_power_on(cut, &bricked, &happened);
    cuts += happened;
    bricked_n += bricked;
    if (v == V010) old++;
    if (v == V020) updated++;
    assert_false(bricked);
    if (happened && cut < transfer_bytes) assert_int_equal(v, V010); /* before the buy: the old image */
    unsigned phase = !happened ? 2u : cut < transfer_bytes ? 0u : 1u;
    phase_cuts[phase]++;
    phase_old[phase] += v == V010;
  }
  printf("power-cut matrix: transfer (erase + page writes, every 64th byte): %u cuts -> %u booted 0.1.0\n",
         phase_cuts[0], phase_old[0]);
  printf("power-cut matrix: the buy (first sector rewritten): %u cuts -> %u booted 0.1.0\n", phase_cuts[1],
         phase_old[1]);
  printf("power-cut matrix: never cut: %u runs -> %u booted 0.2.0\n", phase_cuts[2], phase_cuts[2] - phase_old[2]);
  printf("power-cut matrix: %u cuts, %u booted 0.1.0, %u booted 0.2.0, %u bricked\n", cuts, old, updated, bricked_n);
  assert_true(cuts > 400);
  assert_int_equal(bricked_n, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sha256_matches_fips_examples),
      cmocka_unit_test(update_boots_on_trial_and_confirms_itself),
      cmocka_unit_test(heaters_stay_off_from_offer_to_confirmation),
      cmocka_unit_test(a_flipped_byte_an_older_image_or_a_gap_is_refused_before_switching),
      cmocka_unit_test(a_restarted_hub_resumes_where_the_controller_is),
      cmocka_unit_test(an_image_failing_its_self_test_is_rolled_back),
      cmocka_unit_test(an_image_that_never_hears_the_hub_is_rolled_back_by_the_trial_watchdog),
      cmocka_unit_test(a_power_cut_at_any_flash_byte_leaves_a_bootable_board),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
