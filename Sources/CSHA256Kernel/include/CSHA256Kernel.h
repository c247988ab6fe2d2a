// SHA-256 block compression with the x86 SHA extensions (SHA-NI), for the Hashing module.
// The portable compression is Swift's (Sources/Hashing/SHA256.swift); this one is used only where
// the processor has the instructions, which `csha256_kernel_available` says at run time.
// Compiler intrinsics only: nothing here links a library.
#ifndef C_SHA256_KERNEL_H
#define C_SHA256_KERNEL_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this processor can run `csha256_kernel_compress` (x86-64 with SHA, SSSE3 and SSE4.1), else 0.
int csha256_kernel_available(void);

/// Compresses `blocks` 64-byte blocks at `data` into `state` (a, b, …, h), as FIPS 180-4 §6.2.2 does,
/// with the 64 round constants K (FIPS 180-4 §4.2.2) the caller holds. Only to be called when
/// `csha256_kernel_available()` is 1.
void csha256_kernel_compress(uint32_t state[8], const uint8_t *data, size_t blocks, const uint32_t round_constants[64]);

#endif
