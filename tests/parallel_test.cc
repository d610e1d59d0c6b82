// ParallelFor: every index once, results by index, deterministic errors.
#include "parallel.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace iam_audit {
namespace {

TEST(ParallelTest, EffectiveJobs) {
  EXPECT_EQ(EffectiveJobs(4, 100), 4u);
  EXPECT_EQ(EffectiveJobs(4, 2), 2u);
  EXPECT_EQ(EffectiveJobs(4, 0), 1u);
  EXPECT_GE(EffectiveJobs(0, 1000), 1u);
  EXPECT_EQ(EffectiveJobs(0, 1000), std::max(1u, std::thread::hardware_concurrency()));
}

TEST(ParallelTest, EveryIndexOnceWithResultsInOrder) {
  for (unsigned jobs : {1u, 2u, 8u, 0u}) {
    std::vector<std::size_t> out(1000, 0);
    std::atomic<int> calls{0};
    ParallelFor(out.size(), jobs, [&](std::size_t i) {
      out[i] = i * i;
      ++calls;
    });
    EXPECT_EQ(calls.load(), 1000) << jobs;
    for (std::size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i], i * i) << jobs;
  }
  ParallelFor(0, 4, [](std::size_t) { ADD_FAILURE() << "called for no items"; });
}

TEST(ParallelTest, UsesSeveralThreads) {
  std::mutex m;
  std::set<std::thread::id> ids;
  std::atomic<int> waiting{0};
  ParallelFor(2, 2, [&](std::size_t) {
    {
      std::lock_guard<std::mutex> lock(m);
      ids.insert(std::this_thread::get_id());
    }
    // Both items run at once: each waits (briefly) for the other.
    ++waiting;
    for (int spin = 0; spin < 1000000 && waiting.load() < 2; ++spin) std::this_thread::yield();
  });
  EXPECT_EQ(ids.size(), 2u);
}

TEST(ParallelTest, RethrowsTheLowestFailingIndex) {
  for (unsigned jobs : {1u, 4u}) {
    try {
      ParallelFor(500, jobs, [](std::size_t i) {
        if (i == 37 || i == 300) throw std::runtime_error("item " + std::to_string(i));
      });
      ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "item 37") << jobs;
    }
  }
}

}  // namespace
}  // namespace iam_audit
