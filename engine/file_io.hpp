// The engine's only file-system functions: read a whole (small) file, and write
// an output file so that it appears whole or not at all.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace engine {

// The file's bytes. Throws ConfigError naming the path if it cannot be read.
std::string read_file(const std::filesystem::path& path);

// An output file written under a temporary name in the same directory and
// renamed over the target by commit(), so readers never see half a file. If
// commit() is never called (an error, an exception) the temporary is removed.
class AtomicOutputFile {
 public:
  // Throws ConfigError if the temporary file cannot be created.
  explicit AtomicOutputFile(std::filesystem::path target);
  ~AtomicOutputFile();
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  std::ostream& stream() { return m_stream; }
  // Flushes, checks for write errors and renames into place; throws ConfigError.
  void commit();

 private:
  std::filesystem::path m_target;
  std::filesystem::path m_temporary;
  std::ofstream m_stream;
  bool m_committed = false;
};

// Whether two paths name the same existing file (so output never overwrites input).
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace engine
