//===- HalideRuntimeDouble.cpp - Halide's runtime for the runtime tests ---===//
//
// The threads, mutex, condition and clock of Halide's runtime that the
// model runtime (runtime/*.c) calls, for tests that compile it without
// Halide's runtime: ModelRuntimeTest.cpp and ThreadPoolTest.cpp.
//
//===----------------------------------------------------------------------===//

#include <HalideRuntime.h>

#include <atomic>
#include <chrono>
#include <thread>

// While set, a waiter whose condition was broadcast stays asleep, as a
// worker on an idle virtual CPU can for milliseconds (ThreadPoolTest.cpp).
std::atomic<bool> halideDoubleHoldWakes{false};

extern "C" {
void halide_mutex_lock(struct halide_mutex *m) {
  while (__atomic_exchange_n(&m->_private[0], 1, __ATOMIC_ACQUIRE))
    std::this_thread::yield();
}
void halide_mutex_unlock(struct halide_mutex *m) {
  __atomic_store_n(&m->_private[0], 0, __ATOMIC_RELEASE);
}
// A condition as a count of broadcasts: a waiter releases the mutex, waits
// for the count to change, and takes the mutex again.
void halide_cond_wait(struct halide_cond *c, struct halide_mutex *m) {
  uintptr_t seen = __atomic_load_n(&c->_private[0], __ATOMIC_ACQUIRE);
  halide_mutex_unlock(m);
  while (__atomic_load_n(&c->_private[0], __ATOMIC_ACQUIRE) == seen ||
         halideDoubleHoldWakes)
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  halide_mutex_lock(m);
}
void halide_cond_broadcast(struct halide_cond *c) {
  __atomic_fetch_add(&c->_private[0], 1, __ATOMIC_RELEASE);
}
struct halide_thread *halide_spawn_thread(void (*f)(void *), void *closure) {
  std::thread(f, closure).detach();
  static int handle;
  return reinterpret_cast<struct halide_thread *>(&handle);
}
// Two threads, as HL_NUM_THREADS=2 would give.
int halide_set_num_threads(int n) { return n > 0 ? n : 2; }
int halide_start_clock(void *) { return 0; }
int64_t halide_current_time_ns(void *) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}
