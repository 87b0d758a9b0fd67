# A "CI" build type: optimised like RelWithDebInfo but keeps assert() (no NDEBUG),
# so CI runs fast code without losing the checks (as ccache does).
set(CMAKE_CXX_FLAGS_CI "-O2 -g" CACHE STRING "Flags for the CI build type")
# project() has already made an empty entry for a build type it does not know,
# which the line above leaves alone: the CI build was -O0.
if(NOT CMAKE_CXX_FLAGS_CI)
  set(CMAKE_CXX_FLAGS_CI "-O2 -g" CACHE STRING "Flags for the CI build type" FORCE)
endif()
set(CMAKE_EXE_LINKER_FLAGS_CI "" CACHE STRING "")
mark_as_advanced(CMAKE_CXX_FLAGS_CI CMAKE_EXE_LINKER_FLAGS_CI)
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
endif()
set_property(CACHE CMAKE_BUILD_TYPE PROPERTY STRINGS Debug Release RelWithDebInfo CI)
