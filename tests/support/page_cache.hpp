// What the kernel's page cache holds of a file, for tests of the advice the
// engine gives it (output dropped behind the writer, input read ahead).
#pragma once

#include <cstddef>
#include <filesystem>

namespace tests {

// How many of the file's pages in [from, to) are in the page cache; throws
// std::runtime_error if the file cannot be opened or mapped.
std::size_t resident_pages(const std::filesystem::path& path, std::size_t from, std::size_t to);

// Whether `path` is on tmpfs, which keeps files only in the page cache and so
// takes no advice about it.
bool on_tmpfs(const std::filesystem::path& path);

}  // namespace tests
