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
            -Wnull-dereference
            -Wcast-align
            -Wdouble-promotion
            $<$<BOOL:${WARNINGS_AS_ERRORS}>:-Werror>)
