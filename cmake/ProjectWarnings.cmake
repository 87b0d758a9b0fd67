# project_warnings: the warning set for our own code (ccache's developer list).
option(WARNINGS_AS_ERRORS "Treat compiler warnings as errors" OFF)

add_library(project_warnings INTERFACE)
target_compile_options(
  project_warnings
  INTERFACE -Wall
            -Wextra
            -Wpedantic
            -Wshadow
            -Wnon-virtual-dtor
            -Woverloaded-virtual
            -Wcast-align
            -Wdouble-promotion
            $<$<BOOL:${WARNINGS_AS_ERRORS}>:-Werror>)
# Left out, measured: with GCC 12 at -O2, -Wnull-dereference and -Wrestrict
# report libstdc++'s own inlined string code for plain `"text" + std::string`
# (GCC bug 105329), not ours. The sanitizer run in CI catches real ones.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(project_warnings INTERFACE -Wno-restrict)
endif()
