// Tested by tests/unit/test_rule_loader.cpp (the published hash of a known text).
// OpenSSL's one-shot EVP digest: a well-kept implementation instead of our own.
#include <engine/sha256.hpp>

#include <openssl/evp.h>

namespace engine {

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string text;
  text.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    text += k_hex[digest[i] >> 4];
    text += k_hex[digest[i] & 0x0f];
  }
  return text;
}

}  // namespace engine
