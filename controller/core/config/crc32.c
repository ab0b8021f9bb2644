/* Bitwise CRC-32: small in flash; used for the config slots and the incremental flash self-test. */
#include "crc32.h"

uint32_t crc32_ieee(const uint8_t *data, size_t len, uint32_t crc) {
  crc = ~crc;
  for (size_t i = 0; i < len; i++) {
    crc ^= data[i];
    for (int b = 0; b < 8; b++) crc = (crc & 1u) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
  }
  return ~crc;
}
