// A referral file's bytes mapped read-only into memory, so the parallel readers
// can work on them in place and nothing is copied on the way in.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>

namespace engine {

class MappedFile {
 public:
  // Maps a regular file; nullopt for anything else (a pipe, a terminal, a
  // device), which is then read as a stream. Throws ConfigError if a regular
  // file cannot be opened or mapped.
  static std::optional<MappedFile> open(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {m_data, m_size}; }

  // The whole pages inside [offset, offset + length) are no longer needed by
  // this process: they leave its memory (they stay in the page cache and are
  // mapped again if read), so a run's memory does not grow with the file.
  void release(std::size_t offset, std::size_t length) const;
  // The pages around [offset, offset + length) will be read soon: the kernel
  // starts reading them from disk into the page cache (not into this
  // process's memory), as the mapping itself reads only the page it faults on.
  void read_ahead(std::size_t offset, std::size_t length) const;

 private:
  MappedFile(const char* data, std::size_t size) : m_data(data), m_size(size) {}
  const char* m_data = nullptr;
  std::size_t m_size = 0;
};

// Referral data held in memory: a mapped file (whose pages are given back as the
// work moves past them) or any other bytes, such as a string in a test.
struct InputBytes {
  std::string_view bytes;
  const MappedFile* mapping = nullptr;

  void release(std::size_t offset, std::size_t length) const {
    if (mapping != nullptr) {
      mapping->release(offset, length);
    }
  }
  void read_ahead(std::size_t offset, std::size_t length) const {
    if (mapping != nullptr) {
      mapping->read_ahead(offset, length);
    }
  }
};

}  // namespace engine
