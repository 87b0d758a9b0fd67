# format / check_format: clang-format over our own sources.
find_program(CLANG_FORMAT_EXE NAMES clang-format-14 clang-format)
if(CLANG_FORMAT_EXE)
  file(GLOB_RECURSE _format_sources CONFIGURE_DEPENDS
       ${PROJECT_SOURCE_DIR}/engine/*.cpp ${PROJECT_SOURCE_DIR}/engine/*.hpp
       ${PROJECT_SOURCE_DIR}/cli/*.cpp ${PROJECT_SOURCE_DIR}/cli/*.hpp
       ${PROJECT_SOURCE_DIR}/tests/*.cpp ${PROJECT_SOURCE_DIR}/tests/*.hpp)
# bench/ only at its top: its data/ and node_modules/ hold other projects' code.
file(GLOB _bench_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/bench/*.cpp)
list(APPEND _format_sources ${_bench_sources})
  add_custom_target(format COMMAND ${CLANG_FORMAT_EXE} -i ${_format_sources}
                    COMMENT "clang-format: rewriting sources")
  add_custom_target(check_format COMMAND ${CLANG_FORMAT_EXE} --dry-run --Werror ${_format_sources}
                    COMMENT "clang-format: checking sources")
endif()
