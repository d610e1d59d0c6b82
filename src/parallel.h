// Parallel: run independent pieces of work (reading, parsing and auditing
// the policy files of a repository) on every core, with results in a
// deterministic order.
//
//   std::vector<Loaded> loaded(files.size());
//   ParallelFor(files.size(), jobs, [&](std::size_t i) { loaded[i] = Load(files[i]); });
//   // loaded[i] belongs to files[i], whatever thread did the work.
//
// Work items are handed out in increasing index order from one atomic
// counter, so a slow item never holds up the others and no per-thread queue
// is needed. `fn` must be safe to call concurrently for different indices
// (each call writes only its own slot). The calling thread takes part, so
// `jobs` == 1 runs everything on the caller, in order, with no thread at all.
//
// Exceptions: when calls throw, no new item is started and the exception of
// the lowest failing index is rethrown after every running call has
// finished. Items are started in index order, so that index (and the
// exception) does not depend on scheduling.
#pragma once

#include <cstddef>
#include <functional>

namespace iam_audit {

// The number of threads to use for `jobs` (0 = one per hardware thread, as
// std::thread::hardware_concurrency() reports, at least 1), never more than
// `items` (and at least 1).
unsigned EffectiveJobs(unsigned jobs, std::size_t items);

// Calls fn(i) for every i in [0, n) on EffectiveJobs(jobs, n) threads.
void ParallelFor(std::size_t n, unsigned jobs, const std::function<void(std::size_t)>& fn);

}  // namespace iam_audit
