# What every build of the engine needs, in one place: the normal library
# (engine/) and the fuzzing build (tests/fuzz/) both use it.

# The engine's Debian-packaged dependencies.
set(REABLEMENT_ENGINE_DEPENDENCIES Boost::date_time tomlplusplus::tomlplusplus muparser::muparser
                                  nlohmann_json::nlohmann_json OpenSSL::Crypto Threads::Threads)

# Generates, in the calling directory's binary dir, the .cpp that embeds the
# published rule file byte for byte (cmake/EmbedFile.cmake), and sets
# `out_var` to its path.
function(reablement_embed_default_rules out_var)
  set(rules_file ${PROJECT_SOURCE_DIR}/rules/joint-protocol-2019.toml)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/default_rules_data.cpp)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${rules_file} -DOUTPUT=${output}
            -DSOURCE_NAME=rules/joint-protocol-2019.toml -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFile.cmake
    DEPENDS ${rules_file} ${PROJECT_SOURCE_DIR}/cmake/EmbedFile.cmake
    COMMENT "Embedding the default rule set")
  set(${out_var} ${output} PARENT_SCOPE)
endfunction()
