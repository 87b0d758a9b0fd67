# project_settings: compile settings for our own targets only (never for the
# Debian-packaged dependencies): library assertions in Debug, sanitizers on request.
option(ENABLE_SANITIZER_ADDRESS "Build with AddressSanitizer" OFF)
option(ENABLE_SANITIZER_UNDEFINED "Build with UndefinedBehaviorSanitizer" OFF)

add_library(project_settings INTERFACE)
target_compile_features(project_settings INTERFACE cxx_std_20)
target_compile_definitions(project_settings INTERFACE $<$<CONFIG:Debug,CI>:_GLIBCXX_ASSERTIONS>)

set(_sanitizers "")
if(ENABLE_SANITIZER_ADDRESS)
  list(APPEND _sanitizers address)
endif()
if(ENABLE_SANITIZER_UNDEFINED)
  list(APPEND _sanitizers undefined)
endif()
if(_sanitizers)
  list(JOIN _sanitizers "," _sanitizer_list)
  target_compile_options(project_settings INTERFACE -fsanitize=${_sanitizer_list} -fno-omit-frame-pointer
                                                    -fno-sanitize-recover=all)
  target_link_options(project_settings INTERFACE -fsanitize=${_sanitizer_list})
endif()
