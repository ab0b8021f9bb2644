/* The hub link on core 1 and the byte rings core 0 uses to reach it. */
#ifndef BREWOS_LINK_CORE1_H
#define BREWOS_LINK_CORE1_H

#include "spsc_ring.h"

extern spsc_ring_t link_rx_ring; /* UART IRQ (core 1) -> control loop (core 0) */
extern spsc_ring_t link_tx_ring; /* control loop (core 0) -> UART (core 1) */
extern volatile uint32_t link_core1_alive;

void link_core1_start(void);

#endif
