/* peak.c: measures the machine's fp32 FMA peak with independent chains of
 * vector FMAs on T threads, printing GFLOP/s. Built with -mavx512f where
 * the CPU has it (else -mavx2 -mfma) by bench/run.sh.
 *
 *   peak [threads]
 */
#define _POSIX_C_SOURCE 199309L
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef __AVX512F__
typedef __m512 vec;
#define LANES 16
#define FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define SET(x) _mm512_set1_ps(x)
#define SUM(v) _mm512_reduce_add_ps(v)
#else
typedef __m256 vec;
#define LANES 8
#define FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define SET(x) _mm256_set1_ps(x)
static float SUM(__m256 v) {
  float f[8];
  _mm256_storeu_ps(f, v);
  return f[0] + f[1] + f[2] + f[3] + f[4] + f[5] + f[6] + f[7];
}
#endif

#define CHAINS 12
#define ITERS 50000000L

static void *work(void *out) {
  /* Twelve named accumulators, so they live in registers. */
  vec a = SET(0.999999f), b = SET(1e-7f);
  vec c0 = SET(0), c1 = SET(1), c2 = SET(2), c3 = SET(3), c4 = SET(4),
      c5 = SET(5), c6 = SET(6), c7 = SET(7), c8 = SET(8), c9 = SET(9),
      c10 = SET(10), c11 = SET(11);
  for (long it = 0; it < ITERS; ++it) {
    c0 = FMA(c0, a, b);
    c1 = FMA(c1, a, b);
    c2 = FMA(c2, a, b);
    c3 = FMA(c3, a, b);
    c4 = FMA(c4, a, b);
    c5 = FMA(c5, a, b);
    c6 = FMA(c6, a, b);
    c7 = FMA(c7, a, b);
    c8 = FMA(c8, a, b);
    c9 = FMA(c9, a, b);
    c10 = FMA(c10, a, b);
    c11 = FMA(c11, a, b);
  }
  *(float *)out = SUM(c0) + SUM(c1) + SUM(c2) + SUM(c3) + SUM(c4) +
                  SUM(c5) + SUM(c6) + SUM(c7) + SUM(c8) + SUM(c9) +
                  SUM(c10) + SUM(c11);
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 2;
  pthread_t t[64];
  float sink[64];
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < threads; ++i)
    pthread_create(&t[i], NULL, work, &sink[i]);
  for (int i = 0; i < threads; ++i)
    pthread_join(t[i], NULL);
  clock_gettime(CLOCK_MONOTONIC, &b);
  double seconds = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
  double flops = 2.0 * LANES * CHAINS * (double)ITERS * threads;
  printf("%.1f\n", flops / seconds / 1e9);
  return sink[0] == 12345.0f; /* keep the work */
}
