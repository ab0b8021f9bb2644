/* Hardware abstraction: the few plain functions the main loop needs from a board. Implemented by
 * port/rp2350 (pico-sdk) and port/host (simulator and tests); chosen at link time. */
#ifndef BREWOS_HAL_H
#define BREWOS_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/io/io.h"

/* Configure every pin with outputs driven low first (safe defaults before anything else runs). */
void hal_board_init(void);

/* Monotonic microseconds since boot. */
uint64_t hal_now_us(void);

/* Sample every input (ADC channels, GPIOs, flow-meter pulse count) into *in. */
void hal_read_inputs(ctl_inputs_t *in);

/* Drive every output from *out. Called once per 10 ms tick, aligned to mains half-cycles. */
void hal_write_outputs(const ctl_outputs_t *out);

/* Feed the hardware watchdog. The loop calls it only when every safety check passed. */
void hal_wdt_feed(void);

/* Why the controller last started (proto_reset_reason_t). */
uint8_t hal_reset_reason(void);

/* Link: non-blocking byte I/O with the hub. hal_link_read returns bytes copied (0 when none). */
size_t hal_link_read(uint8_t *buf, size_t cap);
void hal_link_write(const uint8_t *buf, size_t len);

/* Persistent configuration: two slots of PERSIST_SLOT_BYTES each (see core/config/persist.h). */
bool hal_persist_read(uint8_t slot, uint8_t *buf, size_t len);
bool hal_persist_write(uint8_t slot, const uint8_t *buf, size_t len);

/* A latched critical trip kept across a reset (not across a power cut): store the alarm code
 * (0: none), and read it back at boot (0 when nothing valid is stored). */
void hal_trip_store(uint8_t alarm_code);
uint8_t hal_trip_recall(void);

#endif
