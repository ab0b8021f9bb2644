/* Two heaters on one mains circuit: turns the two boiler duties into per-tick SSR states under the
 * chosen heating strategy, never exceeding the circuit budget at any instant.
 *   brew_only   steam heater never on
 *   sequential  steam waits until the brew boiler is ready, then heaters alternate (brew first)
 *   parallel    both may conduct together when their sum fits the budget; else steam yields
 *   staggered   never together; brew has priority, steam fills the ticks brew leaves free */
#ifndef BREWOS_HEATERS_H
#define BREWOS_HEATERS_H

#include <stdbool.h>
#include <stdint.h>

#include "ssr.h"

typedef struct {
  ssr_t brew, steam;
  uint8_t strategy; /* proto_heating_strategy_t */
  bool both_fit;    /* brew_w + steam_w <= circuit */
} heaters_t;

void heaters_init(heaters_t *h, uint16_t min_on_ms);
void heaters_configure(heaters_t *h, uint8_t strategy, int32_t brew_w, int32_t steam_w, int32_t circuit_w);
/* One 10 ms tick. brew_ready lets the sequential strategy release the steam heater. */
void heaters_tick(heaters_t *h, uint16_t brew_pmil, uint16_t steam_pmil, bool brew_ready, bool *brew_on,
                  bool *steam_on);

#endif
