/* peak.h: the machine's fp32 FMA peak, measured (peak.c). */
#ifndef CNNC_TOOLS_COMMON_PEAK_H
#define CNNC_TOOLS_COMMON_PEAK_H

#ifdef __cplusplus
extern "C" {
#endif

/* GFLOP/s of `threads` threads running FMAs in the widest vectors this CPU
 * has, for about a quarter of a second. */
double cnnc_peak_gflops(int threads);

#ifdef __cplusplus
}
#endif

#endif
