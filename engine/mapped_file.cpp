// Tested by tests/unit/test_mapped_file.cpp.
// An empty file is "mapped" as no bytes (mmap refuses a length of 0).
#include <engine/errors.hpp>
#include <engine/mapped_file.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace engine {

namespace {

std::size_t page_size() {
  static const auto size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

// The end of [offset, offset + length) within `size` bytes, for an offset
// inside them, with no overflow for a huge length.
std::size_t end_within(std::size_t size, std::size_t offset, std::size_t length) {
  return length >= size - offset ? size : offset + length;
}

}  // namespace

std::optional<MappedFile> MappedFile::open(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw ConfigError({path.string()},
                      "cannot open for reading: " + std::string(std::strerror(errno)));
  }
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    ::close(fd);
    return std::nullopt;
  }
  const auto size = static_cast<std::size_t>(status.st_size);
  if (size == 0) {
    ::close(fd);
    return MappedFile(nullptr, 0);
  }
  void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  const int mmap_errno = errno;
  ::close(fd);  // the mapping keeps the file open
  if (data == MAP_FAILED) {
    throw ConfigError({path.string()},
                      "cannot map for reading: " + std::string(std::strerror(mmap_errno)));
  }
  // No read-around: pages mapped ahead of the block being read would count
  // in this process's memory until released. The readers ask for the bytes
  // ahead of them to be read into the page cache instead (read_ahead).
  ::madvise(data, size, MADV_RANDOM);
  return MappedFile(static_cast<const char*>(data), size);
}

MappedFile::~MappedFile() {
  if (m_data != nullptr) {
    ::munmap(const_cast<char*>(m_data), m_size);
  }
}

MappedFile::MappedFile(MappedFile&& other) noexcept : m_data(other.m_data), m_size(other.m_size) {
  other.m_data = nullptr;
  other.m_size = 0;
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  std::swap(m_data, other.m_data);
  std::swap(m_size, other.m_size);
  return *this;
}

void MappedFile::release(std::size_t offset, std::size_t length) const {
  if (m_data == nullptr || offset >= m_size) {
    return;
  }
  const std::size_t page = page_size();
  const std::size_t end = end_within(m_size, offset, length);
  const std::size_t first = (offset + page - 1) / page * page;
  // The last partial page of the file can go too: nothing follows it.
  const std::size_t last = end == m_size ? (end + page - 1) / page * page : end / page * page;
  if (last > first) {
    ::madvise(const_cast<char*>(m_data) + first, last - first, MADV_DONTNEED);
  }
}

void MappedFile::read_ahead(std::size_t offset, std::size_t length) const {
  if (m_data == nullptr || offset >= m_size || length == 0) {
    return;
  }
  const std::size_t page = page_size();
  const std::size_t first = offset / page * page;
  const std::size_t end = end_within(m_size, offset, length);
  // Advice: a failure (or a file system that cannot read ahead) costs only speed.
  ::madvise(const_cast<char*>(m_data) + first, end - first, MADV_WILLNEED);
}

}  // namespace engine
