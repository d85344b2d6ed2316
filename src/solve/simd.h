/* simd.h - function multi-versioning for the solver's inner loops (private).
 *
 * TW_VECTOR placed before a function definition builds the function twice,
 * for AVX2 and for baseline x86-64, and picks one when the program loads
 * (target_clones of GCC and Clang, resolved through an ifunc), so the library
 * still runs on any x86-64 and uses 256-bit vectors where the processor has
 * them.  Elsewhere (another architecture or compiler, or built with
 * -DTW_NO_CLONES) it is empty and the function is built once.
 *
 * The two versions give the same bits: the AVX2 target does not include FMA,
 * the files that use TW_VECTOR are built with -ffp-contract=off, and without
 * -ffast-math the compiler vectorises only element-wise loops, never the order
 * of a sum.  Keep the marked functions' inner loops unit-stride over
 * restrict-qualified pointers so that they vectorise at all, and their names
 * unique in the library even when static: Clang (14) makes the resolver of a
 * static function a global symbol, NAME.resolver. */
#ifndef TW_SOLVE_SIMD_H
#define TW_SOLVE_SIMD_H

#define TW_VECTOR
#if defined(__x86_64__) && defined(__ELF__) && defined(__has_attribute) && !defined(TW_NO_CLONES)
#if __has_attribute(target_clones)
#undef TW_VECTOR
#define TW_VECTOR __attribute__((target_clones("avx2", "default")))
#endif
#endif

#endif
