/* cnnc_thread_pool.c: the parallel loops of a compiled model's kernels.
 *
 * Halide's own pool puts a worker to sleep a few dozen yields after it
 * finds no work, so between two of a model's stages (microseconds apart)
 * the worker sleeps and must be woken again, and a run that follows a
 * pause pays that at every stage: MNASNet in runs of 5 after 0.2 s pauses
 * took 1.4-1.7 times ONNX Runtime's time, against 0.9-1.0 with workers
 * that spin for a while (ONNX Runtime's do too; docs/decisions.md). This
 * pool's workers spin on the job counter for kSpinNs after their last job
 * before they sleep, so a model's stages find them awake.
 *
 * A sleeping worker may take milliseconds to wake (a virtual machine's
 * idle CPU; MNASNet's first run after a 0.2 s pause took 3 to 24 ms, 1.7
 * back to back), so a loop does not wait for workers that have not joined
 * it: its caller runs every task no worker took, then closes the job, and
 * waits only for the workers inside it. A worker counts itself in before
 * it checks that the job is still open, and reads the job's fields only
 * then, so a caller that saw none inside may reuse them.
 *
 * One caller at a time uses the workers; a call made while they are busy
 * (another thread's model, or a parallel loop inside a task) runs its
 * loop on its own thread. Only Halide's runtime is used (threads, mutex,
 * condition, clock), no C library, as in cnnc_model_runtime.c. The model
 * wrapper installs pool_do_par_for with halide_set_custom_do_par_for. */
#include <HalideRuntime.h>

int64_t halide_current_time_ns(void *user_context);

#define POOL_MAX_WORKERS 63
/* How long a worker spins for a next job before it sleeps. */
static const int64_t kSpinNs = 1000000;

static struct {
  struct halide_mutex lock; /* guards sleeping; with wake */
  struct halide_cond wake;  /* broadcast when a job starts */
  int busy;                 /* a caller owns the workers */
  int started, workers;     /* the workers, once spawned */
  unsigned job;             /* odd while a job is open, even once closed */
  int sleepers;             /* workers waiting on `wake` */
  int inside;               /* workers that joined the open job */
  int next, end, status;    /* the job's next task, end, first error */
  halide_task_t task;
  void *user_context;
  uint8_t *closure;
} pool;

static void pool_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}

static void pool_run_tasks(void) {
  for (;;) {
    int i = __atomic_fetch_add(&pool.next, 1, __ATOMIC_RELAXED);
    if (i >= pool.end)
      return;
    int rc = pool.task(pool.user_context, i, pool.closure);
    if (rc) {
      int none = 0;
      __atomic_compare_exchange_n(&pool.status, &none, rc, 0, __ATOMIC_RELAXED,
                                  __ATOMIC_RELAXED);
    }
  }
}

/* Whether `job` is an open job other than `seen`. */
static int pool_is_new(unsigned job, unsigned seen) {
  return job != seen && (job & 1);
}

/* Waits for an open job other than `seen`: spins, then sleeps. */
static unsigned pool_await(unsigned seen) {
  int64_t start = halide_current_time_ns(NULL);
  unsigned job;
  int spins = 0;
  while (!pool_is_new(job = __atomic_load_n(&pool.job, __ATOMIC_ACQUIRE),
                      seen)) {
    pool_pause();
    if ((++spins & 255) || halide_current_time_ns(NULL) - start < kSpinNs)
      continue;
    halide_mutex_lock(&pool.lock);
    __atomic_fetch_add(&pool.sleepers, 1, __ATOMIC_SEQ_CST);
    while (!pool_is_new(job = __atomic_load_n(&pool.job, __ATOMIC_SEQ_CST),
                        seen))
      halide_cond_wait(&pool.wake, &pool.lock);
    __atomic_fetch_sub(&pool.sleepers, 1, __ATOMIC_SEQ_CST);
    halide_mutex_unlock(&pool.lock);
    break;
  }
  return job;
}

static void pool_worker(void *unused) {
  (void)unused;
  unsigned seen = 0;
  for (;;) {
    seen = pool_await(seen);
    __atomic_fetch_add(&pool.inside, 1, __ATOMIC_SEQ_CST);
    /* Closed meanwhile: its caller may be reusing the fields. */
    if (__atomic_load_n(&pool.job, __ATOMIC_SEQ_CST) == seen)
      pool_run_tasks();
    __atomic_fetch_sub(&pool.inside, 1, __ATOMIC_RELEASE);
  }
}

/* Spawns the workers once, on the caller that owns the pool: as many as
 * Halide's thread count (HL_NUM_THREADS, or the cores) less the caller. */
static void pool_start(void) {
  int previous = halide_set_num_threads(0);
  int threads = halide_set_num_threads(previous);
  if (previous > 0)
    threads = previous;
  int workers = threads - 1;
  if (workers > POOL_MAX_WORKERS)
    workers = POOL_MAX_WORKERS;
  for (int i = 0; i < workers; ++i)
    if (halide_spawn_thread(pool_worker, NULL))
      ++pool.workers;
  pool.started = 1;
}

static int pool_do_par_for(void *user_context, halide_task_t task, int min,
                           int size, uint8_t *closure) {
  if (size <= 0)
    return 0;
  if (size == 1 || __atomic_exchange_n(&pool.busy, 1, __ATOMIC_ACQUIRE)) {
    for (int i = min; i < min + size; ++i) {
      int rc = task(user_context, i, closure);
      if (rc)
        return rc;
    }
    return 0;
  }
  if (!pool.started)
    pool_start();
  pool.task = task;
  pool.user_context = user_context;
  pool.closure = closure;
  pool.end = min + size;
  pool.status = 0;
  __atomic_store_n(&pool.next, min, __ATOMIC_RELAXED);
  /* Opens the job (an odd count), publishing its fields; a worker about to
   * sleep has counted itself in `sleepers` before it checks the count
   * again. */
  __atomic_fetch_add(&pool.job, 1, __ATOMIC_SEQ_CST);
  if (__atomic_load_n(&pool.sleepers, __ATOMIC_SEQ_CST) > 0) {
    halide_mutex_lock(&pool.lock);
    halide_cond_broadcast(&pool.wake);
    halide_mutex_unlock(&pool.lock);
  }
  pool_run_tasks();
  /* Every task is taken. Closes the job, then waits for the workers that
   * joined it before the close to finish theirs. */
  __atomic_fetch_add(&pool.job, 1, __ATOMIC_SEQ_CST);
  while (__atomic_load_n(&pool.inside, __ATOMIC_SEQ_CST) > 0)
    pool_pause();
  int rc = pool.status;
  __atomic_store_n(&pool.busy, 0, __ATOMIC_RELEASE);
  return rc;
}
