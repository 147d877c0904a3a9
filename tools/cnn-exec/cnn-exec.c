/* cnn-exec: runs a model that cnnc compiled with --emit=shared-library.
 *
 *   cnn-exec LIB.so --input=in.npy [--output=out.npy] [--bench=N] [--top=K]
 *            [--profile [--peak=GFLOPS]] [--threads=N [--thread-outputs=DIR]]
 *
 * The library describes itself (cnnc_model_info(), runtime/cnnc_model_info.h:
 * entries, input and output shapes, target), so no header is needed. This
 * program links only the C library: GPU runtimes (CUDA, PoCL's OpenCL) then run
 * in a process that holds no second copy of LLVM (PoCL crashes beside
 * libHalide's). */
#define _POSIX_C_SOURCE 199309L
#include "cnnc_io.h"
#include "cnnc_model_info.h"

#include <dlfcn.h>
#include <pthread.h>

typedef int (*run_fn)(const float *, float *);
typedef int (*profile_fn)(const float *, float *, double *);

struct model {
  char name[512], run[512], target[512], profile[512], stages[512];
  long long in[CNNC_IO_MAX_RANK], out[CNNC_IO_MAX_RANK];
  int in_rank, out_rank;
};

static int usage(void) {
  fprintf(stderr, "usage: cnn-exec LIB.so --input=in.npy [--output=out.npy] "
                  "[--bench=N] [--top=K] [--profile [--peak=GFLOPS]] "
                  "[--threads=N [--thread-outputs=DIR]]\n");
  return 2;
}

static long long count(const long long *shape, int rank) {
  long long n = 1;
  for (int d = 0; d < rank; ++d)
    n *= shape[d];
  return n;
}

static void print_shape(FILE *f, const long long *shape, int rank) {
  fprintf(f, "(");
  for (int d = 0; d < rank; ++d)
    fprintf(f, "%s%lld", d ? ", " : "", shape[d]);
  fprintf(f, ")");
}

/* Fills `m` from the library's cnnc_model_info(), checked: a library from
 * another cnnc, or a damaged one, is an error naming what is wrong. */
static int describe(const char *lib, const struct cnnc_model_info *info,
                    struct model *m) {
  if (!info || info->version < 1) {
    fprintf(stderr,
            "error: %s: cnnc_model_info version %d; this cnn-exec "
            "reads version 1 and later\n",
            lib, info ? info->version : 0);
    return 1;
  }
  int ranks_ok =
      info->input_rank >= 1 && info->input_rank <= CNNC_MODEL_INFO_MAX_RANK &&
      info->output_rank >= 1 && info->output_rank <= CNNC_MODEL_INFO_MAX_RANK;
  for (int d = 0; ranks_ok && d < info->input_rank; ++d)
    ranks_ok = info->input_shape[d] > 0;
  for (int d = 0; ranks_ok && d < info->output_rank; ++d)
    ranks_ok = info->output_shape[d] > 0;
  const char *names[] = {info->name, info->run, info->profile, info->stages,
                         info->target};
  for (int i = 0; i < 5; ++i)
    ranks_ok = ranks_ok && names[i] && strlen(names[i]) < sizeof m->target;
  if (!ranks_ok) {
    fprintf(stderr, "error: %s: malformed cnnc_model_info\n", lib);
    return 1;
  }
  strcpy(m->name, info->name);
  strcpy(m->run, info->run);
  strcpy(m->profile, info->profile);
  strcpy(m->stages, info->stages);
  strcpy(m->target, info->target);
  m->in_rank = info->input_rank;
  m->out_rank = info->output_rank;
  for (int d = 0; d < m->in_rank; ++d)
    m->in[d] = info->input_shape[d];
  for (int d = 0; d < m->out_rank; ++d)
    m->out[d] = info->output_shape[d];
  return 0;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* One row per stage (the library's `<name>_stages()` table: layer, ops,
 * shape, MACs, tab-separated), median seconds over `runs`. */
static int profile(void *handle, const struct model *m, const float *in,
                   float *out, int runs, double peak) {
  profile_fn run = (profile_fn)dlsym(handle, m->profile);
  const char *(*stages)(void) = (const char *(*)(void))dlsym(handle, m->stages);
  if (!run || !stages) {
    fprintf(stderr, "error: the library has no profiled entry (compile it "
                    "again with this cnnc)\n");
    return 1;
  }
  const char *table = stages();
  int count = 0;
  for (const char *p = table; *p; ++p)
    count += *p == '\n';
  double *seconds = calloc((size_t)count * (size_t)runs, sizeof(double));
  double *sample = calloc((size_t)runs, sizeof(double));
  if (!seconds || !sample) {
    fprintf(stderr, "error: out of memory\n");
    return 1;
  }
  for (int r = 0; r < runs; ++r)
    if (run(in, out, seconds + (size_t)r * count) != 0) {
      fprintf(stderr, "error: model %s returned an error\n", m->name);
      return 1;
    }
  double total = 0;
  for (int s = 0; s < count; ++s) {
    for (int r = 0; r < runs; ++r)
      sample[r] = seconds[(size_t)r * count + s];
    qsort(sample, (size_t)runs, sizeof(double), by_value);
    seconds[s] = sample[runs / 2]; /* row s now holds the median */
    total += seconds[s];
  }
  printf("%-28s %-24s %-16s %9s %6s %8s %6s\n", "layer", "ops", "output", "ms",
         "share", "GFLOP/s", "%peak");
  const char *line = table;
  for (int s = 0; s < count; ++s) {
    char layer[256] = "", ops[256] = "", shape[64] = "";
    long long macs = 0;
    sscanf(line, "%255[^\t]\t%255[^\t]\t%63[^\t]\t%lld", layer, ops, shape,
           &macs);
    line = strchr(line, '\n') + 1;
    double gflops = seconds[s] > 0 ? 2.0 * (double)macs / seconds[s] / 1e9 : 0;
    printf("%-28s %-24.24s %-16s %9.3f %5.1f%% %8.1f %5.1f%%\n", layer, ops,
           shape, seconds[s] * 1e3, total > 0 ? 100 * seconds[s] / total : 0,
           gflops, peak > 0 ? 100 * gflops / peak : 0);
  }
  printf("stages: %.3f ms in all (medians over %d runs)%s\n", total * 1e3, runs,
         peak > 0 ? "" : "; give --peak=GFLOPS for the share of peak");
  free(seconds);
  free(sample);
  return 0;
}

/* One thread of --threads: `runs` calls on its own input, every output
 * kept. */
struct caller {
  pthread_t thread;
  run_fn run;
  const float *in;
  float *outs;
  size_t out_count;
  int runs, failed;
};

static void *call_model(void *arg) {
  struct caller *c = arg;
  for (int r = 0; r < c->runs; ++r)
    c->failed |= c->run(c->in, c->outs + (size_t)r * c->out_count) != 0;
  return NULL;
}

/* Writes thread t's input as DIR/input-<t>.npy and its outputs as
 * DIR/output-<t>-<call>.npy, for a test to compare with an oracle. */
static int save_thread_files(const char *dir, const struct model *m,
                             const struct caller *c, int t) {
  char path[4096];
  snprintf(path, sizeof path, "%s/input-%d.npy", dir, t);
  if (cnnc_write_npy(path, c->in, m->in, m->in_rank))
    return 1;
  for (int r = 0; r < c->runs; ++r) {
    snprintf(path, sizeof path, "%s/output-%d-%d.npy", dir, t, r);
    if (cnnc_write_npy(path, c->outs + (size_t)r * c->out_count, m->out,
                       m->out_rank))
      return 1;
  }
  return 0;
}

/* Calls the model from `threads` threads at once, the first call included
 * (when a GPU target copies weights to the device), each on its own input
 * (the given one scaled by 1 + t/8, so that threads sharing buffers would
 * corrupt each other's results), then once more serially per input: every
 * concurrent output must equal the serial one bit for bit. With `dir`, each
 * thread's input and outputs are written there too. */
static int concurrent(run_fn run, const struct model *m, const float *in,
                      int threads, int runs, const char *dir) {
  size_t n = (size_t)count(m->in, m->in_rank);
  size_t o = (size_t)count(m->out, m->out_rank);
  struct caller *callers = calloc((size_t)threads, sizeof *callers);
  float *inputs = malloc(sizeof(float) * n * (size_t)threads);
  float *outs = malloc(sizeof(float) * o * (size_t)runs * (size_t)threads);
  float *expected = malloc(sizeof(float) * o);
  if (!callers || !inputs || !outs || !expected) {
    fprintf(stderr, "error: out of memory\n");
    return 1;
  }
  for (int t = 0; t < threads; ++t) {
    for (size_t i = 0; i < n; ++i)
      inputs[(size_t)t * n + i] = in[i] * (1.0f + (float)t / 8.0f);
    callers[t] = (struct caller){.run = run,
                                 .in = inputs + (size_t)t * n,
                                 .outs = outs + (size_t)t * o * (size_t)runs,
                                 .out_count = o,
                                 .runs = runs};
  }
  int started = 0;
  for (; started < threads; ++started)
    if (pthread_create(&callers[started].thread, NULL, call_model,
                       &callers[started]) != 0)
      break;
  for (int t = 0; t < started; ++t)
    pthread_join(callers[t].thread, NULL);
  int bad = started < threads;
  if (bad)
    fprintf(stderr, "error: could start only %d of %d threads\n", started,
            threads);
  for (int t = 0; t < started && !bad && dir; ++t)
    bad = save_thread_files(dir, m, &callers[t], t);
  for (int t = 0; t < started && !bad; ++t) {
    if (callers[t].failed || run(callers[t].in, expected) != 0) {
      fprintf(stderr, "error: model %s returned an error in thread %d\n",
              m->name, t);
      bad = 1;
      break;
    }
    for (int r = 0; r < runs && !bad; ++r)
      if (memcmp(callers[t].outs + (size_t)r * o, expected,
                 sizeof(float) * o) != 0) {
        fprintf(stderr,
                "error: thread %d, call %d: the output differs from the "
                "serial run on the same input\n",
                t, r + 1);
        bad = 1;
      }
  }
  if (!bad)
    printf("threads: %d threads x %d calls at once, every output equals the "
           "serial run's\n",
           threads, runs);
  free(callers);
  free(inputs);
  free(outs);
  free(expected);
  return bad;
}

int main(int argc, char **argv) {
  const char *lib = NULL, *input = NULL, *output = NULL, *thread_dir = NULL;
  int bench = 0, top = 5, want_profile = 0, threads = 0;
  double peak = 0;
  for (int i = 1; i < argc; ++i) {
    if (strncmp(argv[i], "--input=", 8) == 0)
      input = argv[i] + 8;
    else if (strncmp(argv[i], "--output=", 9) == 0)
      output = argv[i] + 9;
    else if (strncmp(argv[i], "--bench=", 8) == 0)
      bench = atoi(argv[i] + 8);
    else if (strncmp(argv[i], "--top=", 6) == 0)
      top = atoi(argv[i] + 6);
    else if (strncmp(argv[i], "--threads=", 10) == 0)
      threads = atoi(argv[i] + 10);
    else if (strncmp(argv[i], "--thread-outputs=", 17) == 0)
      thread_dir = argv[i] + 17;
    else if (strcmp(argv[i], "--profile") == 0)
      want_profile = 1;
    else if (strncmp(argv[i], "--peak=", 7) == 0)
      peak = atof(argv[i] + 7);
    else if (argv[i][0] == '-') {
      fprintf(stderr, "error: unknown option %s\n", argv[i]);
      return usage();
    } else if (!lib)
      lib = argv[i];
    else
      return usage();
  }
  if (!lib || !input || bench < 0 || top < 0 || threads < 0 || threads > 256 ||
      (thread_dir && threads == 0))
    return usage();
  /* A bare name would be searched on the library path, not taken as a file. */
  char path[4096];
  snprintf(path, sizeof path, "%s%s", strchr(lib, '/') ? "" : "./", lib);
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    fprintf(stderr, "error: cannot load %s: %s\n", lib, dlerror());
    return 1;
  }
  cnnc_model_info_fn info =
      (cnnc_model_info_fn)dlsym(handle, "cnnc_model_info");
  if (!info) {
    fprintf(stderr,
            "error: %s has no cnnc_model_info (compile it with cnnc "
            "--emit=shared-library)\n",
            lib);
    return 1;
  }
  struct model m;
  if (describe(lib, info(), &m))
    return 1;
  run_fn run = (run_fn)dlsym(handle, m.run);
  if (!run) {
    fprintf(stderr, "error: %s has no entry %s\n", lib, m.run);
    return 1;
  }

  float *in = NULL;
  long long shape[CNNC_IO_MAX_RANK];
  int rank;
  if (cnnc_read_npy(input, &in, shape, &rank))
    return 1;
  int same = rank == m.in_rank;
  for (int d = 0; same && d < rank; ++d)
    same = shape[d] == m.in[d];
  if (!same) {
    fprintf(stderr, "error: %s has shape ", input);
    print_shape(stderr, shape, rank);
    fprintf(stderr, ", model %s takes ", m.name);
    print_shape(stderr, m.in, m.in_rank);
    fprintf(stderr, "\n");
    return 1;
  }
  float *out = malloc(sizeof(float) * (size_t)count(m.out, m.out_rank));
  if (!out) {
    fprintf(stderr, "error: out of memory\n");
    return 1;
  }
  printf("model %s (target %s)\n", m.name, m.target);
  fflush(stdout);
  if (threads > 0 &&
      concurrent(run, &m, in, threads, bench > 0 ? bench : 4, thread_dir))
    return 1;
  /* The first run also loads kernels and copies weights to the device. */
  double first = cnnc_now_ms();
  if (run(in, out) != 0) {
    fprintf(stderr, "error: model %s returned an error\n", m.name);
    return 1;
  }
  printf("first run: %.3f ms\n", cnnc_now_ms() - first);
  if (output && cnnc_write_npy(output, out, m.out, m.out_rank))
    return 1;
  if (top > 0 && m.out_rank == 2)
    cnnc_print_top(out, m.out[0], m.out[1], top);
  if (bench > 0) {
    double *times = malloc(sizeof(double) * (size_t)bench);
    for (int r = 0; r < bench; ++r) {
      double start = cnnc_now_ms();
      if (run(in, out) != 0) {
        fprintf(stderr, "error: model %s returned an error\n", m.name);
        return 1;
      }
      times[r] = cnnc_now_ms() - start;
    }
    cnnc_print_latency(times, bench);
    free(times);
  }
  if (want_profile &&
      profile(handle, &m, in, out, bench > 0 ? bench : 20, peak))
    return 1;
  free(in);
  free(out);
  return 0;
}
