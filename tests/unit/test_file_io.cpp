// engine::AtomicOutputFile and the buffer under it: the bytes written arrive
// exactly, whatever the sizes of the writes; a long file's early pages leave
// the page cache; a failed write is reported, never lost.
#include <engine/detail/file_buffer.hpp>
#include <engine/errors.hpp>
#include <engine/file_io.hpp>
#include <tests/support/page_cache.hpp>
#include <tests/support/temp_dir.hpp>

#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstddef>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

using engine::detail::FileBuffer;

namespace {

// Bytes that differ from write to write, so a piece out of place shows.
std::string piece(std::size_t size, std::size_t seed) {
  std::string text(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    text[i] = static_cast<char>((seed * 31 + i * 7 + i / 4096) % 251);
  }
  return text;
}

}  // namespace

TEST_CASE("file buffer: small, large and odd-sized writes arrive in order", "[file_io]") {
  const tests::TempDir dir;
  const auto path = dir.path() / "out.bin";
  // Kept in the page cache's way, pieces of 64 KiB and more are written as they
  // are; otherwise (until the buffer first fills) everything is gathered.
  const auto caching = GENERATE(FileBuffer::Caching::around, FileBuffer::Caching::dropped_behind,
                                FileBuffer::Caching::kept);
  FileBuffer buffer;
  REQUIRE(buffer.open(path, caching));
  std::ostream out(&buffer);
  std::string expected;
  // Sizes below, at and above 64 KiB, and single characters.
  const std::vector<std::size_t> sizes = {1, 100, 65535, 65536, 65537, 3, 1 << 20, 7, 200000};
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const std::string text = piece(sizes[i], i);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    expected += text;
    out.put('\n');
    expected += '\n';
  }
  REQUIRE(out.flush());
  CHECK(buffer.written() == expected.size());
  REQUIRE(buffer.close());
  CHECK(tests::slurp(path) == expected);
}

TEST_CASE("file buffer: a long file goes around the page cache and arrives exactly", "[file_io]") {
  const tests::TempDir dir;
  const auto path = dir.path() / "direct.bin";
  FileBuffer buffer;
  REQUIRE(buffer.open(path));
  std::ostream out(&buffer);
  std::string expected;
  const auto write = [&](const std::string& text) {
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    expected += text;
  };
  // Pieces that straddle the buffer's end, one larger than the buffer, single
  // characters, and a flush once writes have gone direct (which can write only
  // whole aligned blocks, so it must keep the rest for later).
  write(piece(FileBuffer::k_buffer_bytes - 5, 1));
  write(piece(11, 2));
  out.put('x');
  expected += 'x';
  write(piece(2 * FileBuffer::k_buffer_bytes + 12345, 3));
  REQUIRE(out.flush());
  const bool direct = buffer.direct();
  if (direct) {
    // Only whole aligned blocks have gone; the rest waits in the buffer.
    CHECK(buffer.written() % FileBuffer::k_alignment == 0);
    CHECK(expected.size() - buffer.written() < FileBuffer::k_alignment);
  } else {
    CHECK(buffer.written() == expected.size());
  }
  write(piece(777, 4));
  REQUIRE(out.flush());
  REQUIRE(buffer.close());
  // ext4 and the other disk file systems take direct writes; one that refuses
  // them is written through the cache, with the same bytes.
  if (!tests::on_tmpfs(dir.path())) {
    CHECK(direct);
  }
  CHECK(std::filesystem::file_size(path) == expected.size());
  CHECK(tests::slurp(path) == expected);
}

TEST_CASE("file buffer: through the cache, a long file's early pages are dropped, or kept",
          "[file_io]") {
  const auto caching = GENERATE(FileBuffer::Caching::dropped_behind, FileBuffer::Caching::kept);
  const bool dropped_behind = caching == FileBuffer::Caching::dropped_behind;
  const tests::TempDir dir;
  const auto path = dir.path() / "long.bin";
  const std::size_t total = FileBuffer::k_lag + 4 * FileBuffer::k_stretch;
  std::string expected;
  FileBuffer buffer;
  REQUIRE(buffer.open(path, caching));
  std::ostream out(&buffer);
  for (std::size_t i = 0; expected.size() < total; ++i) {
    const std::string text = piece(1000003, i);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    expected += text;
  }
  REQUIRE(out.flush());
  // Never direct, so nothing waits in the buffer for an aligned block.
  CHECK_FALSE(buffer.direct());
  CHECK(buffer.written() == expected.size());
  // Dropped behind: everything more than the lag behind the end has gone.
  // The page cache is the kernel's, so a file system that keeps files only
  // there (tmpfs) keeps them whatever it is told. Kept: those pages stay.
  const std::size_t early = expected.size() - FileBuffer::k_lag - 2 * FileBuffer::k_stretch;
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t resident = tests::resident_pages(path, 0, early);
  INFO(resident << " of " << early / page << " pages still cached");
  if (!dropped_behind) {
    // All but a few the kernel may have reclaimed for its own reasons.
    CHECK(resident > early / page / 2);
  } else if (!tests::on_tmpfs(dir.path())) {
    // Advice, not a command: a page still in a per-core batch of the
    // kernel's is skipped, so a few may stay; without the advice all stay.
    CHECK(resident < early / page / 8);
  }
  REQUIRE(buffer.close());
  CHECK(tests::slurp(path) == expected);
}

TEST_CASE("atomic output file: kept in the cache, a long file appears whole on commit",
          "[file_io]") {
  const tests::TempDir dir;
  const auto target = dir.path() / "scored.csv";
  const std::string text = piece(3 * FileBuffer::k_buffer_bytes + 4321, 5);
  engine::AtomicOutputFile file(target, engine::AtomicOutputFile::Caching::kept);
  engine::write_text(file.stream(), text);
  CHECK_FALSE(std::filesystem::exists(target));
  file.commit();
  CHECK(tests::slurp(target) == text);
}

TEST_CASE("file buffer: a write that fails is reported by the stream and by close", "[file_io]") {
  REQUIRE(std::filesystem::exists("/dev/full"));
  FileBuffer buffer;
  REQUIRE(buffer.open("/dev/full"));
  std::ostream out(&buffer);
  const std::string text = piece(200000, 1);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  CHECK_FALSE(out);
  CHECK_FALSE(buffer.close());
}

TEST_CASE("atomic output file: the target appears whole on commit, or not at all", "[file_io]") {
  const tests::TempDir dir;
  const auto target = dir.path() / "scored.csv";
  const std::string text = piece(300000, 2);
  {
    engine::AtomicOutputFile file(target);
    engine::write_text(file.stream(), text);
    CHECK_FALSE(std::filesystem::exists(target));
    file.commit();
  }
  CHECK(tests::slurp(target) == text);
  {
    engine::AtomicOutputFile file(target);
    engine::write_text(file.stream(), "half");
  }  // never committed: the earlier file stands, and no temporary is left
  CHECK(tests::slurp(target) == text);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++files;
  }
  CHECK(files == 1);
}

TEST_CASE("atomic output file: a device is written in place and a full one is an error",
          "[file_io]") {
  REQUIRE(std::filesystem::exists("/dev/full"));
  engine::AtomicOutputFile file("/dev/full");
  // The first small write is only buffered; the error comes at commit.
  file.stream() << "a,b\n";
  CHECK_THROWS_AS(file.commit(), engine::ConfigError);
}
