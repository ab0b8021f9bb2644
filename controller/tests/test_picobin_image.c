/* The RP2350 image metadata the board reads from its other A/B slot: vectors are the exact blocks
 * of images built by `npm run firmware` (pico-sdk 2.2.0, version 0.1.0), placed at their offsets;
 * the built images themselves are parsed too when that build is present (it is in CI). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/controller.h"
#include "update/picobin_image.h"

#define IMAGE_BYTES 0x11200u
#define FIRST_BLOCK_AT 0x138u
#define END_BLOCK_AT 0x111acu

/* brewos_controller_update.bin at 0x138: IMAGE_TYPE 0x9021 (EXE, secure, ARM, RP2350, TBYB), VERSION
 * 0.256, LAST (3 words), next +0x11074, end marker. */
static const uint8_t first_block[] = {0xd3, 0xde, 0xff, 0xff, 0x42, 0x01, 0x21, 0x90, 0x48, 0x02,
                                      0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0xff, 0x03, 0x00, 0x00,
                                      0x74, 0x10, 0x01, 0x00, 0x79, 0x35, 0x12, 0xab};
/* ... at 0x111ac: an IGNORED item, LAST (1 word), next -0x11074 (back to the first), end marker. */
static const uint8_t end_block[] = {0xd3, 0xde, 0xff, 0xff, 0xfe, 0x01, 0x00, 0x00, 0xff, 0x01,
                                    0x00, 0x00, 0x8c, 0xef, 0xfe, 0xff, 0x79, 0x35, 0x12, 0xab};

static uint8_t image[IMAGE_BYTES];

static void build_image(uint16_t type_flags) {
  memset(image, 0, sizeof image);
  memcpy(image + FIRST_BLOCK_AT, first_block, sizeof first_block);
  image[FIRST_BLOCK_AT + 6] = (uint8_t)(type_flags & 0xFFu);
  image[FIRST_BLOCK_AT + 7] = (uint8_t)(type_flags >> 8);
  memcpy(image + END_BLOCK_AT, end_block, sizeof end_block);
}

static void release_image_is_an_unbought_trial_of_our_version(void **state) {
  (void)state;
  build_image(0x9021u);
  picobin_image_t im = picobin_parse(image, sizeof image);
  assert_true(im.valid);
  assert_true(im.executable);
  assert_true(im.tbyb);
  assert_int_equal(im.def_offset, FIRST_BLOCK_AT); /* the end block is IGNORED, not an IMAGE_DEF */
  assert_int_equal(im.major, 0);
  assert_int_equal(im.minor, 0x100);
  assert_int_equal(PICOBIN_FW_VERSION(im.major, im.minor), 0x000100u); /* 0.1.0 */
}

static void bought_or_factory_image_has_no_trial_flag(void **state) {
  (void)state;
  build_image(0x1021u); /* the ROM clears bit 15 when it buys; the factory image never has it */
  picobin_image_t im = picobin_parse(image, sizeof image);
  assert_true(im.valid);
  assert_false(im.tbyb);
}

static void erased_slot_holds_no_image(void **state) {
  (void)state;
  memset(image, 0xFF, sizeof image);
  assert_false(picobin_parse(image, sizeof image).valid);
  memset(image, 0x00, sizeof image);
  assert_false(picobin_parse(image, sizeof image).valid);
}

static void broken_or_cut_loop_is_no_image(void **state) {
  (void)state;
  build_image(0x9021u);
  image[END_BLOCK_AT + 16] ^= 0x01u; /* the end block's end marker */
  assert_false(picobin_parse(image, sizeof image).valid);
  build_image(0x9021u);
  assert_false(picobin_parse(image, 4096).valid); /* the rest never written: the loop does not close */
  build_image(0x9021u);
  image[FIRST_BLOCK_AT + 17] = 0x04; /* LAST's size disagrees with the items */
  assert_false(picobin_parse(image, sizeof image).valid);
}

static void versions_order_as_ours(void **state) {
  (void)state;
  uint32_t v = 1u << 16 | 2u << 8 | 3u; /* 1.2.3 */
  assert_int_equal(PICOBIN_ROM_MAJOR(v), 1);
  assert_int_equal(PICOBIN_ROM_MINOR(v), 0x0203);
  assert_int_equal(PICOBIN_FW_VERSION(PICOBIN_ROM_MAJOR(v), PICOBIN_ROM_MINOR(v)), v);
  assert_true(PICOBIN_ROM_MINOR(0x000200u) > PICOBIN_ROM_MINOR(0x0001FFu)); /* 0.2.0 > 0.1.255 */
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  size_t n = fread(buf, 1, cap, f);
  fclose(f);
  return n;
}

static uint8_t built[1u << 20];

static void built_images_carry_the_controller_version(void **state) {
  (void)state;
  const char *names[] = {"brewos_controller", "brewos_controller_update"};
  for (int i = 0; i < 2; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/build/rp2350/port/rp2350/%s.bin", BREWOS_REPO_DIR, names[i]);
    size_t n = read_file(path, built, sizeof built);
    if (n == 0) {
      printf("[  SKIPPED ] %s not built (npm run firmware builds it)\n", path);
      continue;
    }
    picobin_image_t im = picobin_parse(built, n);
    assert_true(im.valid);
    assert_true(im.executable);
    assert_int_equal(im.tbyb, i == 1);
    assert_int_equal(PICOBIN_FW_VERSION(im.major, im.minor), CONTROLLER_FW_VERSION);
    printf("%s: %zu B, version %u.%u (ROM), %s\n", names[i], n, im.major, im.minor,
           im.tbyb ? "try-before-you-buy" : "confirmed");
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(release_image_is_an_unbought_trial_of_our_version),
      cmocka_unit_test(bought_or_factory_image_has_no_trial_flag),
      cmocka_unit_test(erased_slot_holds_no_image),
      cmocka_unit_test(broken_or_cut_loop_is_no_image),
      cmocka_unit_test(versions_order_as_ours),
      cmocka_unit_test(built_images_carry_the_controller_version),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
