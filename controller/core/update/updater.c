/* A/B firmware update state machine; see updater.h. */
#include "updater.h"

#include <string.h>

static void set(updater_t *u, uint8_t state, uint8_t result) {
  u->state = state;
  u->result = result;
  u->status_due = true;
}

void updater_init(updater_t *u, const fw_slots_t *slots) {
  memset(u, 0, sizeof *u);
  u->s = *slots;
  u->state = u->s.boot == PROTO_BOOT_STATE_TRIAL ? PROTO_UPDATE_STATE_TRIAL : PROTO_UPDATE_STATE_IDLE;
  u->result = u->s.boot == PROTO_BOOT_STATE_ROLLED_BACK ? PROTO_UPDATE_RESULT_ROLLED_BACK : PROTO_UPDATE_RESULT_NONE;
  u->status_due = true;
}

bool updater_holds_heat(const updater_t *u) {
  return u->state != PROTO_UPDATE_STATE_IDLE;
}

uint8_t updater_offer(updater_t *u, const proto_update_offer_t *o, bool busy, uint32_t now_ms) {
  u->status_due = true; /* every offer is answered with the state, refusals included */
  if (u->s.slot_bytes == 0) return PROTO_ACK_RESULT_UNSUPPORTED;
  if (o->sha256_len != SHA256_BYTES) return PROTO_ACK_RESULT_INVALID_FIELD;
  if (u->state == PROTO_UPDATE_STATE_RECEIVING && o->version == u->version && o->size == u->size &&
      memcmp(o->sha256, u->sha256, SHA256_BYTES) == 0) {
    u->last_ms = now_ms;
    u->result = PROTO_UPDATE_RESULT_RESUMED; /* a hub that restarted: carry on at next_offset */
    return PROTO_ACK_RESULT_OK;
  }
  if (u->state != PROTO_UPDATE_STATE_IDLE && u->state != PROTO_UPDATE_STATE_RECEIVING) {
    u->result = PROTO_UPDATE_RESULT_BUSY;
    return PROTO_ACK_RESULT_BUSY;
  }
  if (busy) {
    u->result = PROTO_UPDATE_RESULT_BUSY;
    return PROTO_ACK_RESULT_BUSY;
  }
  if (o->version <= u->s.running_version) {
    u->result = PROTO_UPDATE_RESULT_NOT_NEWER; /* the boot ROM would never prefer it */
    return PROTO_ACK_RESULT_REJECTED_STATE;
  }
  if (o->size > u->s.slot_bytes) {
    u->result = PROTO_UPDATE_RESULT_TOO_BIG;
    return PROTO_ACK_RESULT_INVALID_FIELD;
  }
  u->version = o->version;
  u->size = o->size;
  memcpy(u->sha256, o->sha256, SHA256_BYTES);
  u->received = 0;
  u->last_ms = now_ms;
  set(u, PROTO_UPDATE_STATE_RECEIVING, PROTO_UPDATE_RESULT_STARTED);
  return PROTO_ACK_RESULT_OK;
}

/* Program the page buffer at `page_at`, erasing each sector as it is entered, and read it back. */
static bool flush_page(updater_t *u, uint32_t page_at) {
  if (page_at % UPDATE_SECTOR_BYTES == 0u && !u->s.erase(page_at, UPDATE_SECTOR_BYTES)) return false;
  if (!u->s.program(page_at, u->page, UPDATE_PAGE_BYTES)) return false;
  uint8_t back[UPDATE_PAGE_BYTES];
  if (!u->s.read(page_at, back, UPDATE_PAGE_BYTES)) return false;
  return memcmp(back, u->page, UPDATE_PAGE_BYTES) == 0;
}

uint8_t updater_chunk(updater_t *u, const proto_update_chunk_t *k, uint32_t now_ms) {
  if (u->state != PROTO_UPDATE_STATE_RECEIVING) return PROTO_ACK_RESULT_REJECTED_STATE;
  if (k->offset != u->received) {
    u->result = PROTO_UPDATE_RESULT_OUT_OF_ORDER;
    u->status_due = true; /* the status says where to go on */
    return PROTO_ACK_RESULT_OUT_OF_ORDER;
  }
  if (k->data_len == 0 || k->offset + k->data_len > u->size) return PROTO_ACK_RESULT_INVALID_FIELD;
  for (uint8_t i = 0; i < k->data_len; i++) {
    u->page[u->received % UPDATE_PAGE_BYTES] = k->data[i];
    u->received++;
    if (u->received % UPDATE_PAGE_BYTES == 0u && !flush_page(u, u->received - UPDATE_PAGE_BYTES)) {
      set(u, PROTO_UPDATE_STATE_IDLE, PROTO_UPDATE_RESULT_FLASH_ERROR);
      return PROTO_ACK_RESULT_FAILED;
    }
  }
  u->last_ms = now_ms;
  return PROTO_ACK_RESULT_OK;
}

uint8_t updater_finish(updater_t *u, uint32_t version, uint32_t now_ms) {
  if (u->state != PROTO_UPDATE_STATE_RECEIVING || version != u->version) return PROTO_ACK_RESULT_REJECTED_STATE;
  if (u->received != u->size) {
    u->status_due = true;
    return PROTO_ACK_RESULT_OUT_OF_ORDER;
  }
  uint32_t tail = u->received % UPDATE_PAGE_BYTES;
  if (tail != 0u) {
    memset(u->page + tail, 0xFF, UPDATE_PAGE_BYTES - tail);
    if (!flush_page(u, u->received - tail)) {
      set(u, PROTO_UPDATE_STATE_IDLE, PROTO_UPDATE_RESULT_FLASH_ERROR);
      return PROTO_ACK_RESULT_FAILED;
    }
  }
  sha256_init(&u->verify);
  u->verify_at = 0;
  u->last_ms = now_ms;
  set(u, PROTO_UPDATE_STATE_VERIFYING, PROTO_UPDATE_RESULT_NONE);
  return PROTO_ACK_RESULT_OK;
}

uint8_t updater_abort(updater_t *u, uint32_t version) {
  if (u->state != PROTO_UPDATE_STATE_RECEIVING && u->state != PROTO_UPDATE_STATE_VERIFYING) {
    return PROTO_ACK_RESULT_REJECTED_STATE;
  }
  if (version != 0 && version != u->version) return PROTO_ACK_RESULT_INVALID_FIELD;
  set(u, PROTO_UPDATE_STATE_IDLE, PROTO_UPDATE_RESULT_ABORTED);
  return PROTO_ACK_RESULT_OK;
}

/* Hash the next part of the slot as it is in flash (not as it was received). */
static void verify_step(updater_t *u, uint32_t now_ms) {
  uint8_t buf[UPDATE_PAGE_BYTES];
  for (uint32_t n = 0; n < UPDATE_VERIFY_BYTES_PER_TICK && u->verify_at < u->size; n += UPDATE_PAGE_BYTES) {
    uint32_t take = u->size - u->verify_at < UPDATE_PAGE_BYTES ? u->size - u->verify_at : UPDATE_PAGE_BYTES;
    if (!u->s.read(u->verify_at, buf, take)) {
      set(u, PROTO_UPDATE_STATE_IDLE, PROTO_UPDATE_RESULT_FLASH_ERROR);
      return;
    }
    sha256_update(&u->verify, buf, take);
    u->verify_at += take;
  }
  if (u->verify_at < u->size) return;
  uint8_t got[SHA256_BYTES];
  sha256_final(&u->verify, got);
  if (memcmp(got, u->sha256, SHA256_BYTES) != 0) {
    set(u, PROTO_UPDATE_STATE_IDLE, PROTO_UPDATE_RESULT_HASH_MISMATCH);
    return;
  }
  set(u, PROTO_UPDATE_STATE_REBOOTING, PROTO_UPDATE_RESULT_NONE);
  u->reboot_pending = true;
  u->reboot_into_trial = true;
  u->reboot_at_ms = now_ms + UPDATE_REBOOT_DELAY_MS;
}

void updater_tick(updater_t *u, uint32_t now_ms, bool may_buy, bool selftest_failed) {
  if (u->reboot_pending) {
    if ((int32_t)(now_ms - u->reboot_at_ms) < 0) return;
    u->reboot_pending = false;
    if (u->reboot_into_trial)
      u->s.reboot_trial();
    else
      u->s.reboot_back();
    return;
  }
  switch (u->state) {
    case PROTO_UPDATE_STATE_RECEIVING:
      if (now_ms - u->last_ms >= UPDATE_IDLE_TIMEOUT_MS) set(u, PROTO_UPDATE_STATE_IDLE, PROTO_UPDATE_RESULT_TIMED_OUT);
      break;
    case PROTO_UPDATE_STATE_VERIFYING: verify_step(u, now_ms); break;
    case PROTO_UPDATE_STATE_TRIAL:
      if (selftest_failed || (may_buy && !u->s.buy())) {
        set(u, PROTO_UPDATE_STATE_REBOOTING,
            selftest_failed ? PROTO_UPDATE_RESULT_SELFTEST_FAILED : PROTO_UPDATE_RESULT_FLASH_ERROR);
        u->reboot_pending = true;
        u->reboot_into_trial = false;
        u->reboot_at_ms = now_ms + UPDATE_REBOOT_DELAY_MS;
      } else if (may_buy) {
        u->s.boot = PROTO_BOOT_STATE_CONFIRMED;
        set(u, PROTO_UPDATE_STATE_IDLE, PROTO_UPDATE_RESULT_CONFIRMED);
      }
      break;
    default: break;
  }
}

void updater_status(const updater_t *u, proto_update_status_t *out) {
  memset(out, 0, sizeof *out);
  out->state = u->state;
  out->result = u->result;
  out->running_version = u->s.running_version;
  out->boot = u->s.boot;
  out->other_version = u->s.other_version;
  out->offer_version = u->state == PROTO_UPDATE_STATE_IDLE ? 0u : u->version;
  out->size = u->state == PROTO_UPDATE_STATE_IDLE ? 0u : u->size;
  out->next_offset = u->state == PROTO_UPDATE_STATE_IDLE ? 0u : u->received;
}
