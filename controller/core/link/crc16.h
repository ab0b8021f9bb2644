/* CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final XOR; check("123456789") = 0x29B1. */
#ifndef BREWOS_CRC16_H
#define BREWOS_CRC16_H

#include <stddef.h>
#include <stdint.h>

#define CRC16_INIT 0xFFFFu

/* CRC of `len` bytes continuing from `crc` (start with CRC16_INIT). */
uint16_t crc16_ccitt_false(const uint8_t *data, size_t len, uint16_t crc);

#endif
