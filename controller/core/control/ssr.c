/* Sigma-delta SSR modulation. */
#include "ssr.h"

void ssr_init(ssr_t *s, uint16_t min_on_ms) {
  uint16_t t = (uint16_t)((min_on_ms + SSR_TICK_MS - 1u) / SSR_TICK_MS);
  s->burst_ticks = (uint8_t)(t < 1u ? 1u : (t > 10u ? 10u : t));
  s->acc = 0;
  s->remaining = 0;
}

bool ssr_want(ssr_t *s, uint16_t duty_pmil) {
  s->acc += duty_pmil;
  int32_t limit = 2 * 1000 * (int32_t)s->burst_ticks; /* bounded catch-up after denied ticks */
  if (s->acc > limit) s->acc = limit;
  if (s->remaining == 0 && s->acc >= 1000 * (int32_t)s->burst_ticks) s->remaining = s->burst_ticks;
  if (s->remaining == 0) return false;
  s->remaining--;
  s->acc -= 1000;
  return true;
}

void ssr_deny(ssr_t *s) {
  /* Give back the tick's energy and postpone the rest of the burst. */
  s->acc += 1000;
  s->remaining = 0;
}

void ssr_clear(ssr_t *s) {
  s->acc = 0;
  s->remaining = 0;
}
