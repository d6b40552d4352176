#ifndef FULLCHAIN_SHA256_H
#define FULLCHAIN_SHA256_H

#include <stdint.h>

/// Compresses one SHA-256 block of 16 words (already in host order, as the standard reads the
/// block big-endian) into `state` (a..h). Uses the CPU's SHA extensions when it has them.
void fullchain_sha256_compress(uint32_t state[8], const uint32_t words[16]);

/// The same in portable C, whatever the CPU has (for tests to hold both paths to the standard).
void fullchain_sha256_compress_portable(uint32_t state[8], const uint32_t words[16]);

/// The first 64 bits of HMAC-SHA256 of an 8-byte big-endian message, given the states after the
/// key's inner (0x36) and outer (0x5C) blocks: exactly two compressions.
uint64_t fullchain_hmac_sha256_tag8(const uint32_t inner[8], const uint32_t outer[8], uint64_t message);

#endif
