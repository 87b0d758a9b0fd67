// The engine's only file-system functions: read a whole (small) file, and write
// an output file so that it appears whole or not at all.
#pragma once

#include <engine/detail/file_buffer.hpp>

#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>

namespace engine {

// The file's bytes. Throws ConfigError naming the path if it cannot be read.
std::string read_file(const std::filesystem::path& path);

// An output file written under a temporary name in the same directory and
// renamed over the target by commit(), so readers never see half a file. If
// commit() is never called (an error, an exception) the temporary is removed.
// A target that exists and is not a regular file (/dev/null, /dev/stdout, a
// named pipe) cannot be replaced, so it is written in place. A long regular file
// is written around the page cache (detail::FileBuffer) unless it is asked to
// stay in it.
class AtomicOutputFile {
 public:
  // `around`: written to the disk directly, so a long file takes no cache
  // (right for a file written once the work is done, such as a ranked list).
  // `kept`: left in the page cache for the kernel to write back, as `cat` and
  // the other tools do (right for a file written while every core scores: on
  // this project's machine, waiting on the disk there cost more than the cache).
  enum class Caching { around, kept };

  // Throws ConfigError if the temporary file cannot be created.
  explicit AtomicOutputFile(std::filesystem::path target, Caching caching = Caching::around);
  ~AtomicOutputFile();
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  std::ostream& stream() { return m_stream; }
  // Flushes, checks for write errors and renames into place; throws ConfigError.
  void commit();

 private:
  std::filesystem::path m_target;
  std::filesystem::path m_temporary;
  detail::FileBuffer m_buffer;
  detail::FileBuffer::Caching m_caching;
  std::ostream m_stream{&m_buffer};
  bool m_committed = false;
  bool m_in_place = false;
};

// Writes `text` to an output stream; throws ConfigError if the stream has
// failed, so a full disk or a closed pipe is reported soon, not lost.
void write_text(std::ostream& output, std::string_view text);
// Flushes an output stream, with the same check.
void flush_output(std::ostream& output);

// Whether two paths name the same existing file (so output never overwrites input).
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace engine
