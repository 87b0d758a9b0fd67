// The stream buffer under AtomicOutputFile: writes go straight to a file
// descriptor, and a regular file's written pages are handed back to the
// system as they reach the disk.
#pragma once

#include <cstdint>
#include <filesystem>
#include <streambuf>
#include <vector>

namespace engine::detail {

// Why hand pages back: a national-scale run writes gigabytes, and leaving them
// all in the page cache evicts what other programs (and the next run's input)
// need. On a virtual machine that returns free memory to its host, every page
// the cache takes anew is also a fault on the host: writing 2.1 GB took 5.6 s
// that way against 1.0 s when the same few megabytes were reused (see the
// README's "Output files"). A file is written from the start; once a stretch
// is k_lag bytes behind the end it is waited for and dropped from the cache.
class FileBuffer final : public std::streambuf {
 public:
  static constexpr std::uint64_t k_stretch = std::uint64_t{8} << 20;
  static constexpr std::uint64_t k_lag = std::uint64_t{64} << 20;

  FileBuffer();
  ~FileBuffer() override;
  FileBuffer(const FileBuffer&) = delete;
  FileBuffer& operator=(const FileBuffer&) = delete;

  // Creates or truncates `path` for writing; false (with errno set) if it cannot.
  bool open(const std::filesystem::path& path);
  // Writes what is buffered and closes the file: false if any write failed.
  bool close();
  // Bytes written to the file so far (not counting what is still buffered).
  std::uint64_t written() const { return m_written; }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* data, std::streamsize size) override;
  int sync() override;

 private:
  bool write_buffered();
  bool write_all(const char* data, std::size_t size);
  void hand_back_pages();

  std::vector<char> m_buffer;
  int m_fd = -1;
  bool m_regular = false;
  bool m_failed = false;
  std::uint64_t m_written = 0;
  std::uint64_t m_started = 0;  // bytes whose write to disk has been started
  std::uint64_t m_dropped = 0;  // bytes dropped from the page cache
};

}  // namespace engine::detail
