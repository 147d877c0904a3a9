/* cnnc_io.h: what the C programs that run compiled models share: .npy
 * files of f32 in C order, the top classes, and latency statistics.
 * Header-only, C99 plus POSIX clocks, no dependencies. */
#ifndef CNNC_IO_H
#define CNNC_IO_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CNNC_IO_MAX_RANK 8

/* Reads a version-1 .npy of '<f4' in C order. On success *data is a new
 * array (free it) and shape/rank are filled; on failure a message naming
 * the file goes to stderr and the result is nonzero. */
static int cnnc_read_npy(const char *path, float **data,
                         long long shape[CNNC_IO_MAX_RANK], int *rank) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "error: cannot open %s\n", path);
    return 1;
  }
  unsigned char head[10];
  char header[65536];
  const char *problem = NULL;
  unsigned header_len = 0;
  if (fread(head, 1, 10, f) != 10 || memcmp(head, "\x93NUMPY", 6) != 0)
    problem = "not a .npy file";
  else if (head[6] != 1 ||
           (header_len = head[8] | (head[9] << 8)) >= sizeof header ||
           fread(header, 1, header_len, f) != header_len)
    problem = "unsupported .npy header (version 1 expected)";
  if (!problem) {
    header[header_len] = '\0';
    if (!strstr(header, "'<f4'") || !strstr(header, "'fortran_order': False"))
      problem = "must hold f32 ('<f4') in C order";
  }
  const char *dims = problem ? NULL : strstr(header, "'shape': (");
  if (!problem && !dims)
    problem = "has no shape in its header";
  long long count = 1;
  *rank = 0;
  if (!problem) {
    const char *p = dims + strlen("'shape': (");
    while (*p && *p != ')') {
      char *end;
      long long d = strtoll(p, &end, 10);
      if (end == p)
        break;
      if (*rank == CNNC_IO_MAX_RANK || d < 0) {
        problem = "has an unsupported shape";
        break;
      }
      /* Checked: (4611686018427387905,) would wrap around to 1 element. */
      if (d != 0 && count > (1LL << 40) / d) {
        problem = "has a shape of more than 2^40 elements";
        break;
      }
      shape[(*rank)++] = d;
      count *= d;
      p = end;
      while (*p == ',' || *p == ' ')
        ++p;
    }
  }
  /* The data must be exactly what the shape says, checked before
   * allocating (a shape of 2^40 elements in a small file is an error, not
   * a 4 TB allocation). */
  long start = problem ? 0 : ftell(f);
  if (!problem && (start < 0 || fseek(f, 0, SEEK_END) != 0 ||
                   ftell(f) - start != count * (long long)sizeof(float) ||
                   fseek(f, start, SEEK_SET) != 0))
    problem = "holds a different number of values than its shape says";
  if (!problem) {
    *data = malloc(sizeof(float) * (size_t)(count ? count : 1));
    if (!*data)
      problem = "is larger than the memory available";
    else if (fread(*data, sizeof(float), (size_t)count, f) != (size_t)count) {
      free(*data);
      problem = "could not be read in full";
    }
  }
  fclose(f);
  if (problem) {
    fprintf(stderr, "error: %s %s\n", path, problem);
    return 1;
  }
  return 0;
}

/* Writes an f32 C-order .npy; the file appears whole or not at all. */
static int cnnc_write_npy(const char *path, const float *data,
                          const long long *shape, int rank) {
  char header[512];
  long long count = 1;
  int n = snprintf(header, sizeof header,
                   "{'descr': '<f4', 'fortran_order': False, 'shape': (");
  for (int d = 0; d < rank; ++d) {
    count *= shape[d];
    n += snprintf(header + n, sizeof header - n, "%lld%s", shape[d],
                  rank == 1 ? "," : (d + 1 < rank ? ", " : ""));
  }
  n += snprintf(header + n, sizeof header - n, "), }");
  while ((10 + n + 1) % 64 != 0)
    header[n++] = ' ';
  header[n++] = '\n';
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "wb");
  if (!f) {
    fprintf(stderr, "error: cannot write %s\n", path);
    return 1;
  }
  unsigned char head[10] = {0x93,
                            'N',
                            'U',
                            'M',
                            'P',
                            'Y',
                            1,
                            0,
                            (unsigned char)(n & 0xff),
                            (unsigned char)(n >> 8)};
  int ok = fwrite(head, 1, 10, f) == 10 &&
           fwrite(header, 1, (size_t)n, f) == (size_t)n &&
           fwrite(data, sizeof(float), (size_t)count, f) == (size_t)count;
  ok = (fclose(f) == 0) && ok && rename(tmp, path) == 0;
  if (!ok) {
    remove(tmp);
    fprintf(stderr, "error: cannot write %s\n", path);
    return 1;
  }
  return 0;
}

/* Prints the `k` (at most 16) largest values of each row of a
 * [rows, classes] output; ties go to the lower class. */
static void cnnc_print_top(const float *output, long long rows,
                           long long classes, int k) {
  if (k > 16)
    k = 16;
  for (long long row = 0; row < rows; ++row) {
    const float *logits = output + row * classes;
    long long taken[16];
    printf("top-%d (batch %lld):\n", k, row);
    for (int rank = 0; rank < k && rank < classes; ++rank) {
      long long best = -1;
      for (long long c = 0; c < classes; ++c) {
        int used = 0;
        for (int j = 0; j < rank; ++j)
          used |= taken[j] == c;
        if (!used && (best < 0 || logits[c] > logits[best]))
          best = c;
      }
      taken[rank] = best;
      printf("  %d. class %4lld  score %.6g\n", rank + 1, best, logits[best]);
    }
  }
}

static double cnnc_now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cnnc_by_value(const void *a, const void *b) {
  double d = *(const double *)a - *(const double *)b;
  return (d > 0) - (d < 0);
}

/* Prints the line cnn-run --bench prints, from `runs` timings (sorted). */
static void cnnc_print_latency(double *times, int runs) {
  qsort(times, (size_t)runs, sizeof(double), cnnc_by_value);
  printf("latency: median=%.3f ms min=%.3f ms runs=%d\n", times[runs / 2],
         times[0], runs);
}

#endif
