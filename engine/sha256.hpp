// SHA-256 of a byte string, as lower-case hex: the rule set's content hash, so
// anyone can check it with `sha256sum` on the rule file.
#pragma once

#include <string>
#include <string_view>

namespace engine {

std::string sha256_hex(std::string_view bytes);

}  // namespace engine
