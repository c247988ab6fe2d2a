#include "CSHA256Kernel.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

int csha256_kernel_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const int ssse3 = (ecx >> 9) & 1, sse41 = (ecx >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    const int sha = (ebx >> 29) & 1;
    return ssse3 && sse41 && sha;
}

// The SHA instructions keep the state as two registers, (a, b, e, f) and (c, d, g, h), highest lane
// first; SHA256RNDS2 runs two rounds and returns the new (a, b, e, f), while the old one becomes
// the new (c, d, g, h). The schedule is kept four words to a register: w[4i…4i+3] in lanes 0…3.
__attribute__((target("sha,ssse3,sse4.1")))
void csha256_kernel_compress(uint32_t state[8], const uint8_t *data, size_t blocks, const uint32_t round_constants[64]) {
    // Each 32-bit word of a block is big-endian.
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    const __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
    const __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
    const __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    const __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);

    for (; blocks > 0; blocks--, data += 64) {
        const __m128i abef_before = abef, cdgh_before = cdgh;
        __m128i w[4];
        for (int group = 0; group < 16; group++) {
            __m128i words;
            if (group < 4) {
                words = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * group)), byte_swap);
            } else {
                // w[t] = σ1(w[t-2]) + w[t-7] + σ0(w[t-15]) + w[t-16], four at a time.
                const __m128i oldest = w[group & 3], older = w[(group + 1) & 3];
                const __m128i previous = w[(group + 2) & 3], latest = w[(group + 3) & 3];
                words = _mm_sha256msg1_epu32(oldest, older);
                words = _mm_add_epi32(words, _mm_alignr_epi8(latest, previous, 4));
                words = _mm_sha256msg2_epu32(words, latest);
            }
            w[group & 3] = words;
            __m128i sums = _mm_add_epi32(words, _mm_loadu_si128((const __m128i *)&round_constants[4 * group]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, sums);
            sums = _mm_shuffle_epi32(sums, 0x0E);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, sums);
        }
        abef = _mm_add_epi32(abef, abef_before);
        cdgh = _mm_add_epi32(cdgh, cdgh_before);
    }

    const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}
#else
int csha256_kernel_available(void) { return 0; }

void csha256_kernel_compress(uint32_t state[8], const uint8_t *data, size_t blocks, const uint32_t round_constants[64]) {
    (void)state; (void)data; (void)blocks;
}
#endif
