// Tested by tests/unit/test_score_job.cpp (atomic output) and the process tests.
#include <engine/errors.hpp>
#include <engine/file_io.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace engine {

namespace {

std::string system_reason() {
  return std::strerror(errno);
}

}  // namespace

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError({path.string()}, "cannot open for reading: " + system_reason());
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) {
    throw ConfigError({path.string()}, "cannot read: " + system_reason());
  }
  return std::move(contents).str();
}

AtomicOutputFile::AtomicOutputFile(std::filesystem::path target, Caching caching)
    : m_target(std::move(target)),
      m_caching(caching == Caching::kept ? detail::FileBuffer::Caching::kept
                                         : detail::FileBuffer::Caching::around) {
  // A device or a FIFO (/dev/null, /dev/stdout, a named pipe) is written in
  // place: renaming a file over it would replace the device itself.
  std::error_code ignored;
  const auto status = std::filesystem::status(m_target, ignored);
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status) &&
      !std::filesystem::is_directory(status)) {
    m_in_place = true;
    if (!m_buffer.open(m_target, m_caching)) {
      throw ConfigError({m_target.string()}, "cannot open for writing: " + system_reason());
    }
    return;
  }
  // The process id keeps two concurrent runs from sharing a temporary file.
  m_temporary = m_target;
  m_temporary += ".tmp-" + std::to_string(::getpid());
  if (!m_buffer.open(m_temporary, m_caching)) {
    throw ConfigError({m_target.string()}, "cannot create output file: " + system_reason());
  }
}

AtomicOutputFile::~AtomicOutputFile() {
  if (!m_committed && !m_in_place) {
    m_buffer.close();
    std::error_code ignored;
    std::filesystem::remove(m_temporary, ignored);
  }
}

void AtomicOutputFile::commit() {
  m_stream.flush();
  const bool closed = m_buffer.close();
  if (m_stream.fail() || !closed) {
    throw ConfigError({m_target.string()}, "could not write the output (is the disk full?)");
  }
  if (m_in_place) {
    m_committed = true;
    return;
  }
  std::error_code error;
  std::filesystem::rename(m_temporary, m_target, error);
  if (error) {
    throw ConfigError({m_target.string()}, "cannot replace the output file: " + error.message());
  }
  m_committed = true;
}

void write_text(std::ostream& output, std::string_view text) {
  output.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!output) {
    throw ConfigError({}, "could not write the output (disk full or closed pipe?)");
  }
}

void flush_output(std::ostream& output) {
  if (!output.flush()) {
    throw ConfigError({}, "could not write the output (disk full or closed pipe?)");
  }
}

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code error;
  const bool same = std::filesystem::equivalent(a, b, error);
  return !error && same;
}

}  // namespace engine
