/* Heating strategies as a per-tick scheduler. */
#include "heaters.h"

#include "link/proto_gen.h"

void heaters_init(heaters_t *h, uint16_t min_on_ms) {
  ssr_init(&h->brew, min_on_ms);
  ssr_init(&h->steam, min_on_ms);
  h->strategy = PROTO_HEATING_STRATEGY_SEQUENTIAL;
  h->both_fit = false;
}

void heaters_configure(heaters_t *h, uint8_t strategy, int32_t brew_w, int32_t steam_w, int32_t circuit_w) {
  h->strategy = strategy;
  h->both_fit = brew_w + steam_w <= circuit_w;
}

void heaters_tick(heaters_t *h, uint16_t brew_pmil, uint16_t steam_pmil, bool brew_ready, bool *brew_on,
                  bool *steam_on) {
  if (h->strategy == PROTO_HEATING_STRATEGY_BREW_ONLY ||
      (h->strategy == PROTO_HEATING_STRATEGY_SEQUENTIAL && !brew_ready)) {
    ssr_clear(&h->steam);
    steam_pmil = 0;
  }
  bool b = ssr_want(&h->brew, brew_pmil);
  bool s = ssr_want(&h->steam, steam_pmil);
  bool exclusive = h->strategy != PROTO_HEATING_STRATEGY_PARALLEL || !h->both_fit;
  if (b && s && exclusive) {
    ssr_deny(&h->steam);
    s = false;
  }
  *brew_on = b;
  *steam_on = s;
}
