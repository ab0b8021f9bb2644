/* CRC-32 (IEEE 802.3, reflected poly 0xEDB88320, init and final XOR 0xFFFFFFFF); check("123456789") = 0xCBF43926. */
#ifndef BREWOS_CRC32_H
#define BREWOS_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Start with crc = 0; feed pieces by passing the previous result. */
uint32_t crc32_ieee(const uint8_t *data, size_t len, uint32_t crc);

#endif
