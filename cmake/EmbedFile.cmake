# cmake -DINPUT=file -DOUTPUT=file.cpp -DSOURCE_NAME=name -P EmbedFile.cmake
# Writes a .cpp defining engine::detail::k_default_rules_text (the file's exact
# bytes, so its SHA-256 equals `sha256sum` of the file) and its source name.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
string(REGEX REPLACE "(([^,]*,){16})" "\\1\n    " bytes "${bytes}")
file(WRITE "${OUTPUT}" "// Generated from ${SOURCE_NAME} by cmake/EmbedFile.cmake. Do not edit.
#include <cstddef>
#include <string_view>

namespace engine::detail {
namespace {
constexpr char k_bytes[] = {
    ${bytes}};
}  // namespace
extern const std::string_view k_default_rules_text{k_bytes, ${byte_count}};
extern const std::string_view k_default_rules_source{\"${SOURCE_NAME}\"};
}  // namespace engine::detail
")
