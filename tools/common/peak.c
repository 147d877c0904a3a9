/* peak.c: the machine's fp32 FMA peak, in GFLOP/s, with twelve independent
 * FMA chains per thread (so FMA latency is hidden) in the widest vectors
 * the CPU has: AVX-512, AVX2, or 4 lanes elsewhere. Each width's loop is
 * compiled for its ISA and chosen at run time, so one build serves any
 * x86-64 CPU. cnn-run --profile links it; the bench scripts build it as a
 * program:
 *
 *   cc -O2 -pthread -DCNNC_PEAK_MAIN tools/common/peak.c -o peak
 *   ./peak [threads]                      prints the GFLOP/s
 */
#define _POSIX_C_SOURCE 199309L
#include "peak.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHAINS 12
#define ITERATIONS 40000000L

typedef float vec16 __attribute__((vector_size(64)));
typedef float vec8 __attribute__((vector_size(32)));
typedef float vec4 __attribute__((vector_size(16)));

/* Defines `name`, which runs the chains in VEC and returns the FLOPs done;
 * the sum of the chains goes to `sink`, so the loop is kept. */
#define DEFINE_CHAINS(name, VEC, TARGET)                                       \
  TARGET static double name(float *sink) {                                     \
    enum { lanes = sizeof(VEC) / sizeof(float) };                              \
    VEC a, b, c[CHAINS];                                                       \
    for (int l = 0; l < lanes; ++l) {                                          \
      a[l] = 0.999999f;                                                        \
      b[l] = 1e-7f;                                                            \
    }                                                                          \
    for (int i = 0; i < CHAINS; ++i)                                           \
      c[i] = a * (float)i;                                                     \
    for (long it = 0; it < ITERATIONS; ++it) {                                 \
      /* Unrolled, so the chains live in registers at -O2 too. */              \
      _Pragma("GCC unroll 12") for (int i = 0; i < CHAINS; ++i)                \
        c[i] = c[i] * a + b;                                                   \
    }                                                                          \
    float sum = 0;                                                             \
    for (int i = 0; i < CHAINS; ++i)                                           \
      for (int l = 0; l < lanes; ++l)                                          \
        sum += c[i][l];                                                        \
    *sink = sum;                                                               \
    return 2.0 * lanes * CHAINS * (double)ITERATIONS;                          \
  }

#if defined(__x86_64__)
DEFINE_CHAINS(chains16, vec16, __attribute__((target("avx512f,fma"))))
DEFINE_CHAINS(chains8, vec8, __attribute__((target("avx2,fma"))))
#endif
DEFINE_CHAINS(chains4, vec4, )

struct worker {
  double (*chains)(float *);
  double flops;
  float sink;
};

static void *work(void *arg) {
  struct worker *w = arg;
  w->flops = w->chains(&w->sink);
  return NULL;
}

double cnnc_peak_gflops(int threads) {
  double (*chains)(float *) = chains4;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f"))
    chains = chains16;
  else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    chains = chains8;
#endif
  if (threads < 1)
    threads = 1;
  struct worker *workers = calloc((size_t)threads, sizeof *workers);
  pthread_t *ids = calloc((size_t)threads, sizeof *ids);
  if (!workers || !ids)
    return 0;
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (int i = 0; i < threads; ++i) {
    workers[i].chains = chains;
    pthread_create(&ids[i], NULL, work, &workers[i]);
  }
  double flops = 0;
  for (int i = 0; i < threads; ++i) {
    pthread_join(ids[i], NULL);
    flops += workers[i].flops;
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  double seconds = (double)(end.tv_sec - start.tv_sec) +
                   (double)(end.tv_nsec - start.tv_nsec) / 1e9;
  free(workers);
  free(ids);
  return flops / seconds / 1e9;
}

#ifdef CNNC_PEAK_MAIN
int main(int argc, char **argv) {
  printf("%.1f\n", cnnc_peak_gflops(argc > 1 ? atoi(argv[1]) : 2));
  return 0;
}
#endif
