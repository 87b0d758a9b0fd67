// Runs work on numbered blocks with a few threads and hands the results over
// strictly in block order, so that whatever the thread count the results are
// consumed exactly as a single thread would produce them. At most `window`
// blocks are in flight (worked on or waiting for their turn), which bounds the
// memory their results hold.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace engine::detail {

// `work(block, worker)` makes block's result (worker < threads names the
// calling thread's own state); `take(block, result)` consumes results in block
// order on the calling thread. An exception from `work` is rethrown when its
// block's turn comes, so the error reported is the first in block order, as a
// single thread would meet it; it stops the run once every thread has stopped.
template <typename Result, typename Work, typename Take>
void run_in_block_order(std::size_t blocks, unsigned threads, std::size_t window, Work&& work,
                        Take&& take) {
  if (threads <= 1 || blocks <= 1) {
    for (std::size_t block = 0; block < blocks; ++block) {
      take(block, work(block, 0U));
    }
    return;
  }
  window = std::max<std::size_t>(window, threads);
  std::mutex mutex;
  std::condition_variable changed;
  struct Slot {
    std::optional<Result> result;
    std::exception_ptr error;
    bool ready = false;
  };
  std::vector<Slot> slots(window);
  std::size_t next = 0;   // the next block a worker takes
  std::size_t taken = 0;  // blocks consumed so far
  bool stop = false;
  std::exception_ptr failure;

  const auto worker = [&](unsigned index) {
    for (;;) {
      std::size_t block = 0;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stop || next >= blocks || next < taken + window; });
        if (stop || next >= blocks) {
          return;
        }
        block = next++;
      }
      std::optional<Result> result;
      std::exception_ptr error;
      try {
        result.emplace(work(block, index));
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard lock(mutex);
      Slot& slot = slots[block % window];
      slot.result = std::move(result);
      slot.error = error;
      slot.ready = true;
      changed.notify_all();
      if (error) {
        return;  // blocks after a failed one are never taken
      }
    }
  };

  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) {
    pool.emplace_back(worker, i);
  }
  try {
    for (std::size_t block = 0; block < blocks; ++block) {
      std::optional<Result> result;
      {
        std::unique_lock lock(mutex);
        Slot& slot = slots[block % window];
        changed.wait(lock, [&] { return slot.ready; });
        if (slot.error) {
          std::rethrow_exception(slot.error);
        }
        result = std::move(slot.result);
        slot = Slot{};
      }
      take(block, std::move(*result));
      std::lock_guard lock(mutex);
      ++taken;
      changed.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(mutex);
    if (!failure) {
      failure = std::current_exception();
    }
    stop = true;
    changed.notify_all();
  }
  {
    std::lock_guard lock(mutex);
    stop = true;
    changed.notify_all();
  }
  for (auto& thread : pool) {
    thread.join();
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
}

// Calls `work(part, begin, end)` on `threads` contiguous parts of [0, count) at once,
// and returns when all are done. Exceptions are rethrown, the first part's first.
template <typename Work>
void run_in_parts(std::size_t count, unsigned threads, Work&& work) {
  threads = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, count)));
  if (threads <= 1) {
    work(0U, std::size_t{0}, count);
    return;
  }
  std::vector<std::exception_ptr> errors(threads);
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      try {
        work(t, count * t / threads, count * (t + 1) / threads);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  for (auto& thread : pool) {
    thread.join();
  }
  for (const auto& error : errors) {
    if (error) {
      std::rethrow_exception(error);
    }
  }
}

}  // namespace engine::detail
