// Tested by tests/unit/test_file_io.cpp.
#include <engine/detail/file_buffer.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace engine::detail {

namespace {

// Small writes gather here; a write at least this large goes to the file as it is.
constexpr std::size_t k_buffer_bytes = std::size_t{64} << 10;

}  // namespace

FileBuffer::FileBuffer() : m_buffer(k_buffer_bytes) {
  setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
}

FileBuffer::~FileBuffer() {
  close();
}

bool FileBuffer::open(const std::filesystem::path& path) {
  m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (m_fd < 0) {
    return false;
  }
  struct stat status {};
  m_regular = ::fstat(m_fd, &status) == 0 && S_ISREG(status.st_mode);
  m_failed = false;
  m_written = m_started = m_dropped = 0;
  return true;
}

bool FileBuffer::close() {
  if (m_fd < 0) {
    return !m_failed;
  }
  write_buffered();
  if (::close(m_fd) != 0) {
    m_failed = true;
  }
  m_fd = -1;
  return !m_failed;
}

FileBuffer::int_type FileBuffer::overflow(int_type c) {
  if (!write_buffered()) {
    return traits_type::eof();
  }
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
  }
  return traits_type::not_eof(c);
}

std::streamsize FileBuffer::xsputn(const char* data, std::streamsize size) {
  const auto bytes = static_cast<std::size_t>(size);
  const auto room = static_cast<std::size_t>(epptr() - pptr());
  if (bytes <= room) {
    std::memcpy(pptr(), data, bytes);
    pbump(static_cast<int>(bytes));
    return size;
  }
  // Too big for what is left: what is buffered goes first, then a large
  // piece goes as it is and a small one starts the buffer again.
  if (!write_buffered()) {
    return 0;
  }
  if (bytes >= m_buffer.size()) {
    return write_all(data, bytes) ? size : 0;
  }
  std::memcpy(pptr(), data, bytes);
  pbump(static_cast<int>(bytes));
  return size;
}

int FileBuffer::sync() {
  return write_buffered() ? 0 : -1;
}

bool FileBuffer::write_buffered() {
  const auto bytes = static_cast<std::size_t>(pptr() - pbase());
  setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
  return bytes == 0 || write_all(m_buffer.data(), bytes);
}

bool FileBuffer::write_all(const char* data, std::size_t size) {
  if (m_fd < 0 || m_failed) {
    m_failed = true;
    return false;
  }
  while (size > 0) {
    const ssize_t n = ::write(m_fd, data, size);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      m_failed = true;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
    m_written += static_cast<std::uint64_t>(n);
  }
  hand_back_pages();
  return true;
}

void FileBuffer::hand_back_pages() {
  if (!m_regular) {
    return;
  }
  // Both calls are advice: a file system that ignores them (tmpfs) loses
  // nothing, and a failed write to disk is the kernel's to report on close.
  const auto offset = [](std::uint64_t at) { return static_cast<off_t>(at); };
  while (m_written - m_started >= k_stretch) {
    ::sync_file_range(m_fd, offset(m_started), offset(k_stretch), SYNC_FILE_RANGE_WRITE);
    m_started += k_stretch;
  }
  while (m_started - m_dropped > k_lag) {
    ::sync_file_range(
        m_fd, offset(m_dropped), offset(k_stretch),
        SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
    ::posix_fadvise(m_fd, offset(m_dropped), offset(k_stretch), POSIX_FADV_DONTNEED);
    m_dropped += k_stretch;
  }
}

}  // namespace engine::detail
