// The stream buffer under AtomicOutputFile: writes go straight to a file
// descriptor, and a long regular file is written around the page cache.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <streambuf>

namespace engine::detail {

// Why not through the page cache: a national-scale run writes gigabytes, and
// leaving them all cached evicts what other programs (and the next run's
// input) need. On a virtual machine that returns free memory to its host,
// every page the cache takes anew is also a fault on the host: writing 2.1 GB
// took 5.6 s that way against 1.0 s when the same few megabytes were reused
// (see the README's "Output files").
//
// So by default (Caching::around), once a regular file has had a whole buffer
// written, the rest goes to the disk directly (O_DIRECT) from this buffer,
// which is aligned for it: no page is cached, copied into or written back by
// the kernel. The last part (less than a buffer) is written through the cache
// at close. Where the file system refuses direct writes (tmpfs), the file is
// written through the cache, and once a stretch is k_lag bytes behind the end
// it is waited for and dropped from the cache (as Caching::dropped_behind).
// A file written while every core is busy (`score`'s) is better left in the
// cache (Caching::kept): there, each 4 MiB direct write took 10 ms beside two
// scoring threads (1.7 ms beside one), and the run took longer than the
// cache's faults cost.
class FileBuffer final : public std::streambuf {
 public:
  static constexpr std::size_t k_buffer_bytes = std::size_t{4} << 20;
  static constexpr std::size_t k_alignment = 4096;  // of memory, offsets and sizes
  static constexpr std::uint64_t k_stretch = std::uint64_t{8} << 20;
  static constexpr std::uint64_t k_lag = std::uint64_t{64} << 20;

  // How the file meets the page cache.
  enum class Caching {
    around,          // direct once a buffer has filled (else as dropped_behind)
    dropped_behind,  // through the cache, each stretch waited for and dropped k_lag behind
    kept,            // through the cache and left there for the kernel, as `cat` writes
  };

  FileBuffer();
  ~FileBuffer() override;
  FileBuffer(const FileBuffer&) = delete;
  FileBuffer& operator=(const FileBuffer&) = delete;

  // Creates or truncates `path` for writing; false (with errno set) if it
  // cannot.
  bool open(const std::filesystem::path& path, Caching caching = Caching::around);
  // Writes what is buffered and closes the file: false if any write failed.
  bool close();
  // Bytes written to the file so far (not counting what is still buffered).
  std::uint64_t written() const { return m_written; }
  // Whether writes now go around the page cache.
  bool direct() const { return m_direct; }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* data, std::streamsize size) override;
  int sync() override;

 private:
  struct Free {
    void operator()(char* data) const;
  };

  bool write_full_buffer();
  bool write_buffered(std::size_t bytes);
  bool write_all(const char* data, std::size_t size);
  bool set_direct(bool on);
  void hand_back_pages();

  std::unique_ptr<char, Free> m_buffer;
  int m_fd = -1;
  bool m_may_go_direct = false;  // a regular file not yet tried
  bool m_drop_behind = false;    // through the cache: written back and dropped k_lag behind
  bool m_direct = false;
  bool m_failed = false;
  std::uint64_t m_written = 0;
  std::uint64_t m_started = 0;  // bytes whose write to disk has been started
  std::uint64_t m_dropped = 0;  // bytes dropped from the page cache
};

}  // namespace engine::detail
