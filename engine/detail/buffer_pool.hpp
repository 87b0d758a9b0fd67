// Text buffers handed back and forth between the threads that fill them and
// the one that writes them out. Reusing a buffer keeps its memory: a new one
// would be fresh pages, which the kernel must map and zero, for every block of
// a file that can hold gigabytes.
#pragma once

#include <mutex>
#include <string>
#include <vector>

namespace engine::detail {

class BufferPool {
 public:
  // An empty buffer, with the room of one given back earlier if there is one.
  std::string take() {
    std::lock_guard lock(m_mutex);
    if (m_free.empty()) {
      return {};
    }
    std::string buffer = std::move(m_free.back());
    m_free.pop_back();
    buffer.clear();
    return buffer;
  }

  void give(std::string buffer) {
    std::lock_guard lock(m_mutex);
    m_free.push_back(std::move(buffer));
  }

 private:
  std::mutex m_mutex;
  std::vector<std::string> m_free;
};

}  // namespace engine::detail
