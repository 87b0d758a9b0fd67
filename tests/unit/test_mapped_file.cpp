// engine::MappedFile: a regular file's bytes in memory, nothing for anything
// else (read as a stream instead), and pages given back without changing what
// the bytes read.
#include <engine/errors.hpp>
#include <engine/mapped_file.hpp>
#include <tests/support/page_cache.hpp>
#include <tests/support/temp_dir.hpp>

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

using engine::MappedFile;

namespace {

std::size_t page_size() {
  return static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// Bytes that differ from page to page and within a page, NUL and high bytes too.
std::string patterned(std::size_t size) {
  std::string text(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    text[i] = static_cast<char>((i * 7 + i / 4096) % 256);
  }
  return text;
}

}  // namespace

TEST_CASE("mapped file: a regular file's bytes are mapped exactly", "[mapped]") {
  const tests::TempDir dir;
  for (const std::size_t size :
       {std::size_t{1}, std::size_t{100}, page_size(), page_size() + 1, 3 * page_size() + 123}) {
    CAPTURE(size);
    const std::string text = patterned(size);
    const auto mapped = MappedFile::open(dir.write("data.csv", text));
    REQUIRE(mapped.has_value());
    CHECK(mapped->bytes() == text);
  }
}

TEST_CASE("mapped file: an empty file maps as no bytes", "[mapped]") {
  const tests::TempDir dir;
  const auto mapped = MappedFile::open(dir.write("empty.csv", ""));
  REQUIRE(mapped.has_value());
  CHECK(mapped->bytes().empty());
  mapped->release(0, 100);  // nothing to give back
  CHECK(mapped->bytes().empty());
}

TEST_CASE("mapped file: a missing file is a ConfigError naming the path", "[mapped]") {
  const tests::TempDir dir;
  const auto path = dir.path() / "missing.csv";
  REQUIRE_THROWS_AS(MappedFile::open(path), engine::ConfigError);
  REQUIRE_THROWS_WITH(MappedFile::open(path),
                      path.string() + ": cannot open for reading: No such file or directory");
}

TEST_CASE("mapped file: a pipe or a device is not mapped", "[mapped]") {
  SECTION("a named pipe") {
    const tests::TempDir dir;
    const auto fifo = dir.path() / "referrals.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // Held open for reading and writing, so opening it to read does not wait for a writer.
    const int held = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK);
    REQUIRE(held >= 0);
    const auto mapped = MappedFile::open(fifo);
    ::close(held);
    CHECK_FALSE(mapped.has_value());
  }
  SECTION("/dev/null") {
    CHECK_FALSE(MappedFile::open("/dev/null").has_value());
  }
}

TEST_CASE("mapped file: giving back or reading ahead any range leaves the bytes unchanged",
          "[mapped]") {
  const tests::TempDir dir;
  const std::size_t page = page_size();
  const std::size_t size = 3 * page + 123;
  const std::string text = patterned(size);
  const auto mapped = MappedFile::open(dir.write("data.csv", text));
  REQUIRE(mapped.has_value());
  REQUIRE(mapped->bytes() == text);
  const std::size_t max = std::numeric_limits<std::size_t>::max();
  const std::vector<std::pair<std::size_t, std::size_t>> ranges{
      {0, 0},           {0, 1},        {1, page},        {page - 1, 2},     {page, page},
      {page, 2 * page}, {0, size},     {5, size - 10},   {size - 1, 1},     {size - 100, 100},
      {size, 10},       {size + 1, 1}, {size + page, 0}, {2 * page + 7, 0}, {0, size + page},
      {3, max},         {0, max},      {max, max},       {max, 0},          {page + 1, page - 2},
  };
  for (const auto& [offset, length] : ranges) {
    CAPTURE(offset, length);
    mapped->release(offset, length);
    CHECK(mapped->bytes() == text);
    mapped->read_ahead(offset, length);
    CHECK(mapped->bytes() == text);
  }
}

TEST_CASE("mapped file: reading ahead brings a range into the page cache", "[mapped]") {
  const tests::TempDir dir;
  if (tests::on_tmpfs(dir.path())) {
    WARN("not checked: tmpfs keeps every file in the page cache");
    return;
  }
  const std::size_t page = page_size();
  const std::size_t size = 1024 * page + 17;
  const std::string text = patterned(size);
  const auto path = dir.write("data.csv", text);
  {
    // Written to disk, then dropped from the cache, so reading it is reading the disk.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    REQUIRE(::fdatasync(fd) == 0);
    REQUIRE(::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0);
    ::close(fd);
  }
  const std::size_t from = 256 * page;
  const std::size_t pages = 512;
  const std::size_t left = tests::resident_pages(path, from, from + pages * page);
  INFO(left << " of " << pages << " pages still cached after the drop");
  // Advice, not a command: a page the kernel holds in a per-core batch stays.
  REQUIRE(left < pages / 8);
  const auto mapped = MappedFile::open(path);
  REQUIRE(mapped.has_value());
  mapped->read_ahead(from + 5, pages * page - 10);
  // The reads it starts finish on the disk's time: wait for them, with a
  // bound far above any disk's, so that a read never started fails here.
  std::size_t resident = 0;
  for (int tries = 0; tries < 1000 && resident < pages; ++tries) {
    resident = tests::resident_pages(path, from, from + pages * page);
    if (resident < pages) {
      ::usleep(10000);
    }
  }
  CHECK(resident == pages);
  CHECK(mapped->bytes() == text);
}

TEST_CASE("mapped file: a moved mapping keeps the bytes", "[mapped]") {
  const tests::TempDir dir;
  const std::string text = patterned(2 * page_size() + 5);
  auto mapped = MappedFile::open(dir.write("data.csv", text));
  REQUIRE(mapped.has_value());
  MappedFile moved = std::move(*mapped);
  CHECK(moved.bytes() == text);
  const engine::InputBytes input{moved.bytes(), &moved};
  input.release(0, text.size());
  CHECK(input.bytes == text);
}
