#include <tests/support/temp_dir.hpp>

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace tests {

TempDir::TempDir() {
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto candidate =
        std::filesystem::temp_directory_path() / ("reablement-test-" + std::to_string(random()));
    if (std::filesystem::create_directory(candidate)) {
      m_path = std::move(candidate);
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(m_path, ignored);
}

std::filesystem::path TempDir::write(const std::string& name, const std::string& contents) const {
  const auto file = m_path / name;
  std::ofstream out(file, std::ios::binary);
  out << contents;
  return file;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path.string());
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace tests
