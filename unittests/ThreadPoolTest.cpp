//===- ThreadPoolTest.cpp - The pool a compiled model's loops run on ------===//
//
// runtime/cnnc_thread_pool.c compiled on its own over a test double of
// Halide's threads (HalideRuntimeDouble.cpp), with 2 threads: the caller
// and one worker.
//
//===----------------------------------------------------------------------===//

#include <HalideRuntime.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

// Declared by the runtime file too, which C++ would give C++ linkage.
extern "C" int64_t halide_current_time_ns(void *user_context);
#include "cnnc_thread_pool.c"

extern std::atomic<bool> halideDoubleHoldWakes; // HalideRuntimeDouble.cpp

namespace {

std::vector<std::atomic<int>> counts(4096);

int countTask(void *, int index, uint8_t *) {
  ++counts[index];
  return 0;
}

void resetCounts() {
  for (std::atomic<int> &c : counts)
    c = 0;
}

TEST(ThreadPoolTest, RunsEveryTaskOnce) {
  for (int size : {1, 2, 7, 1000}) {
    resetCounts();
    ASSERT_EQ(pool_do_par_for(nullptr, countTask, 3, size, nullptr), 0);
    for (int i = 0; i < 4096; ++i)
      EXPECT_EQ(counts[i], i >= 3 && i < 3 + size ? 1 : 0)
          << "task " << i << " of " << size;
  }
}

TEST(ThreadPoolTest, ReturnsATasksError) {
  auto failAtFive = [](void *, int index, uint8_t *) {
    return index == 5 ? -7 : 0;
  };
  EXPECT_EQ(pool_do_par_for(nullptr, failAtFive, 0, 64, nullptr), -7);
  EXPECT_EQ(pool_do_par_for(nullptr, countTask, 0, 64, nullptr), 0);
}

TEST(ThreadPoolTest, UsesTheWorkerAndWakesItAfterItSleeps) {
  static std::mutex lock;
  static std::set<std::thread::id> threads;
  auto slowTask = [](void *, int, uint8_t *) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    std::lock_guard<std::mutex> guard(lock);
    threads.insert(std::this_thread::get_id());
    return 0;
  };
  for (int call = 0; call < 2; ++call) {
    threads.clear();
    ASSERT_EQ(pool_do_par_for(nullptr, slowTask, 0, 64, nullptr), 0);
    EXPECT_EQ(threads.size(), 2u) << "call " << call;
    // Past the spin: the worker sleeps, and the next call wakes it.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

TEST(ThreadPoolTest, DoesNotWaitForAWorkerStillAsleep) {
  ASSERT_EQ(pool_do_par_for(nullptr, countTask, 0, 64, nullptr), 0);
  // Past the spin the worker sleeps, and it is kept asleep: the loop's
  // caller must run every task itself and return, not wait for it.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  halideDoubleHoldWakes = true;
  resetCounts();
  std::future<int> call = std::async(std::launch::async, [] {
    return pool_do_par_for(nullptr, countTask, 0, 64, nullptr);
  });
  const bool returned =
      call.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  halideDoubleHoldWakes = false;
  EXPECT_TRUE(returned) << "the loop waited for the sleeping worker";
  EXPECT_EQ(call.get(), 0);
  for (int i = 0; i < 64; ++i)
    EXPECT_EQ(counts[i], 1) << "task " << i;
}

TEST(ThreadPoolTest, LoopsInsideTasksRunOnTheirThread) {
  resetCounts();
  auto outer = [](void *, int index, uint8_t *) {
    return pool_do_par_for(nullptr, countTask, index * 64, 64, nullptr);
  };
  ASSERT_EQ(pool_do_par_for(nullptr, outer, 0, 16, nullptr), 0);
  for (int i = 0; i < 16 * 64; ++i)
    EXPECT_EQ(counts[i], 1) << "task " << i;
}

TEST(ThreadPoolTest, CallersOnManyThreads) {
  resetCounts();
  std::vector<std::thread> callers;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([t, &failures] {
      for (int call = 0; call < 200; ++call)
        if (pool_do_par_for(nullptr, countTask, t * 1000, 1000, nullptr))
          ++failures;
    });
  for (std::thread &caller : callers)
    caller.join();
  EXPECT_EQ(failures, 0);
  for (int i = 0; i < 4000; ++i)
    EXPECT_EQ(counts[i], 200) << "task " << i;
}

} // namespace
