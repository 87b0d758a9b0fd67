#include <tests/support/page_cache.hpp>

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

namespace tests {

std::size_t resident_pages(const std::filesystem::path& path, std::size_t from, std::size_t to) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw std::runtime_error("cannot open " + path.string());
  }
  void* map = ::mmap(nullptr, to, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) {
    throw std::runtime_error("cannot map " + path.string());
  }
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> resident((to + page - 1) / page);
  const int status = ::mincore(map, to, resident.data());
  ::munmap(map, to);
  if (status != 0) {
    throw std::runtime_error("mincore failed on " + path.string());
  }
  std::size_t count = 0;
  for (std::size_t i = from / page; i < resident.size(); ++i) {
    count += resident[i] & 1U;
  }
  return count;
}

bool on_tmpfs(const std::filesystem::path& path) {
  struct statfs info {};
  return ::statfs(path.c_str(), &info) == 0 && info.f_type == TMPFS_MAGIC;
}

}  // namespace tests
