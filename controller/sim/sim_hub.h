/* The hub's side of the link in headless runs: says hello, resends desired state every 200 ms,
 * sends the scenario's commands as real frames, and decodes what the controller sends. It only
 * speaks the wire protocol, exactly as the real hub does. */
#ifndef BREWOS_SIM_HUB_H
#define BREWOS_SIM_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "link/proto_stream.h"
#include "machine.h"
#include "report.h"

#define SIM_HUB_DESIRED_PERIOD_MS 200u

typedef struct {
  uint16_t seq;
  proto_desired_state_t desired;
  uint32_t next_desired_ms;
  uint32_t link_down_until_ms;
  bool hello_sent;
  proto_stream_t rx;
  uint32_t frames_rx;
} sim_hub_t;

void sim_hub_init(sim_hub_t *h, double brew_c, double steam_c);
/* Send one message now (dropped while the link is down). */
void sim_hub_send(sim_hub_t *h, sim_machine_t *m, proto_msg_t *msg);
/* Periodic traffic for this tick. */
void sim_hub_tick(sim_hub_t *h, sim_machine_t *m);
/* Read and decode everything the controller sent; pass messages to the report (may be NULL). */
void sim_hub_receive(sim_hub_t *h, sim_machine_t *m, report_t *r);

/* Chunks needed to upload `len` bytes of binary profile in pieces of `chunk_bytes`. */
uint8_t sim_hub_chunk_count(size_t len, size_t chunk_bytes);
/* Fill *m with piece `index` of a chunked profile upload of `bin` (whole-profile crc given). */
void sim_hub_profile_chunk(proto_msg_t *m, uint8_t slot, const uint8_t *bin, size_t len, uint16_t crc,
                           size_t chunk_bytes, uint8_t index);

#endif
