/* Pump output on the reference board: relay, pulse-skip modulation on mains zero crossings, or PWM.
 * The control loop only sets the power; the zero-cross interrupt decides each half-wave, so a
 * vibratory pump's strokes stay whole and in phase with the mains. */
#include "pump_drive.h"

#include "board.h"
#include "hardware/gpio.h"
#include "hardware/pwm.h"

static volatile uint16_t power_pmil;
static int32_t psm_acc; /* sigma-delta accumulator, permille-half-waves; touched only in the ISR */

static void on_zero_cross(void) {
  psm_acc += power_pmil;
  bool on = psm_acc >= 1000;
  if (on) psm_acc -= 1000;
  gpio_put(BOARD_PIN_PUMP, on);
}

void pump_drive_init(void) {
#if BOARD_PUMP_DRIVE == BOARD_PUMP_PWM
  gpio_set_function(BOARD_PIN_PUMP, GPIO_FUNC_PWM);
  uint slice = pwm_gpio_to_slice_num(BOARD_PIN_PUMP);
  pwm_config cfg = pwm_get_default_config();
  pwm_config_set_clkdiv(&cfg, 1.0f);
  pwm_config_set_wrap(&cfg, (uint16_t)(BOARD_SYS_CLOCK_HZ / BOARD_PUMP_PWM_HZ - 1u));
  pwm_init(slice, &cfg, true);
  pwm_set_gpio_level(BOARD_PIN_PUMP, 0);
#elif BOARD_PUMP_DRIVE == BOARD_PUMP_PSM
  gpio_init(BOARD_PIN_ZERO_CROSS);
  gpio_set_dir(BOARD_PIN_ZERO_CROSS, GPIO_IN);
  gpio_add_raw_irq_handler(BOARD_PIN_ZERO_CROSS, on_zero_cross_irq);
  gpio_set_irq_enabled(BOARD_PIN_ZERO_CROSS, GPIO_IRQ_EDGE_RISE, true);
#endif
}

/* GPIO raw handler: acknowledge the zero-cross edge, then decide this half-wave. */
void on_zero_cross_irq(void) {
  if (gpio_get_irq_event_mask(BOARD_PIN_ZERO_CROSS) & GPIO_IRQ_EDGE_RISE) {
    gpio_acknowledge_irq(BOARD_PIN_ZERO_CROSS, GPIO_IRQ_EDGE_RISE);
    on_zero_cross();
  }
}

void pump_drive_set(uint16_t pmil) {
  if (pmil > 1000u) pmil = 1000u;
#if BOARD_PUMP_DRIVE == BOARD_PUMP_PWM
  uint32_t wrap = BOARD_SYS_CLOCK_HZ / BOARD_PUMP_PWM_HZ;
  pwm_set_gpio_level(BOARD_PIN_PUMP, (uint16_t)(wrap * pmil / 1000u));
#elif BOARD_PUMP_DRIVE == BOARD_PUMP_PSM
  power_pmil = pmil;
  if (pmil == 0) gpio_put(BOARD_PIN_PUMP, 0); /* off at once, not at the next crossing */
#else
  gpio_put(BOARD_PIN_PUMP, pmil > 0);
#endif
}
