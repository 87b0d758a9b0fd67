// Tested by tests/unit/test_file_io.cpp.
#include <engine/detail/file_buffer.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

namespace engine::detail {

namespace {

// Through the page cache, a write at least this large goes to the file as it
// is; smaller ones gather in the buffer.
constexpr std::size_t k_piece_bytes = std::size_t{64} << 10;

}  // namespace

void FileBuffer::Free::operator()(char* data) const {
  std::free(data);
}

FileBuffer::FileBuffer()
    : m_buffer(static_cast<char*>(std::aligned_alloc(k_alignment, k_buffer_bytes))) {
  if (!m_buffer) {
    throw std::bad_alloc();
  }
  setp(m_buffer.get(), m_buffer.get() + k_buffer_bytes);
}

FileBuffer::~FileBuffer() {
  close();
}

bool FileBuffer::open(const std::filesystem::path& path, Caching caching) {
  m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (m_fd < 0) {
    return false;
  }
  struct stat status {};
  const bool regular = ::fstat(m_fd, &status) == 0 && S_ISREG(status.st_mode);
  m_may_go_direct = regular && caching == Caching::around;
  m_drop_behind = regular && caching != Caching::kept;
  m_direct = false;
  m_failed = false;
  m_written = m_started = m_dropped = 0;
  setp(m_buffer.get(), m_buffer.get() + k_buffer_bytes);
  return true;
}

bool FileBuffer::close() {
  if (m_fd < 0) {
    return !m_failed;
  }
  // What is left is rarely whole aligned blocks: it goes through the cache.
  if (m_direct) {
    set_direct(false);
  }
  write_buffered(static_cast<std::size_t>(pptr() - pbase()));
  if (::close(m_fd) != 0) {
    m_failed = true;
  }
  m_fd = -1;
  return !m_failed;
}

FileBuffer::int_type FileBuffer::overflow(int_type c) {
  if (pptr() == epptr() && !write_full_buffer()) {
    return traits_type::eof();
  }
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
  }
  return traits_type::not_eof(c);
}

std::streamsize FileBuffer::xsputn(const char* data, std::streamsize size) {
  auto left = static_cast<std::size_t>(size);
  if (!m_direct && !m_may_go_direct && left >= k_piece_bytes) {
    // Through the cache, a large piece needs no copy: what is buffered goes
    // first, then the piece as it is.
    const bool written =
        write_buffered(static_cast<std::size_t>(pptr() - pbase())) && write_all(data, left);
    return written ? size : 0;
  }
  while (left > 0) {
    if (pptr() == epptr() && !write_full_buffer()) {
      return 0;
    }
    const std::size_t piece = std::min(left, static_cast<std::size_t>(epptr() - pptr()));
    std::memcpy(pptr(), data, piece);
    pbump(static_cast<int>(piece));
    data += piece;
    left -= piece;
  }
  return size;
}

int FileBuffer::sync() {
  // A direct write is whole aligned blocks: the rest waits for more, or for close.
  const auto held = static_cast<std::size_t>(pptr() - pbase());
  return write_buffered(m_direct ? held / k_alignment * k_alignment : held) ? 0 : -1;
}

bool FileBuffer::write_full_buffer() {
  // The first full buffer of a regular file decides: the rest goes direct if
  // the file system takes direct writes (a small file never asks).
  if (m_may_go_direct) {
    m_may_go_direct = false;
    if (m_written % k_alignment == 0) {
      set_direct(true);
    }
  }
  return write_buffered(k_buffer_bytes);
}

// Writes the buffer's first `bytes` and keeps the rest, moved to its start.
bool FileBuffer::write_buffered(std::size_t bytes) {
  const auto held = static_cast<std::size_t>(pptr() - pbase());
  const bool written = bytes == 0 || write_all(m_buffer.get(), bytes);
  std::memmove(m_buffer.get(), m_buffer.get() + bytes, held - bytes);
  setp(m_buffer.get(), m_buffer.get() + k_buffer_bytes);
  pbump(static_cast<int>(held - bytes));
  return written;
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
      // The device wants another alignment (or a short write left the
      // offset unaligned): the cache takes the rest.
      if (errno == EINVAL && m_direct && set_direct(false)) {
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

bool FileBuffer::set_direct(bool on) {
  const int flags = ::fcntl(m_fd, F_GETFL);
  if (flags < 0 || ::fcntl(m_fd, F_SETFL, on ? flags | O_DIRECT : flags & ~O_DIRECT) != 0) {
    return false;
  }
  m_direct = on;
  // Nothing written directly is in the cache to be dropped.
  m_started = m_dropped = m_written;
  return true;
}

void FileBuffer::hand_back_pages() {
  if (!m_drop_behind || m_direct) {
    m_started = m_dropped = m_written;
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
