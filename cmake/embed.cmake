# ctip_embed(TARGET NAME SYMBOL FILES f1 f2 ...)
# Compiles the given files into the target as a table of {path, contents} so that the binary
# carries its own data (migrations, permission matrix, instruments). Paths are relative to the
# source tree. Access it through ctip/core/embedded.h: ctip::embedded::SYMBOL().
function(ctip_embed target symbol)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/embedded_${symbol}.cpp")
  set(files ${ARGN})
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DSYMBOL=${symbol} -DROOT=${PROJECT_SOURCE_DIR}
            "-DFILES=${files}" -P ${PROJECT_SOURCE_DIR}/cmake/embed_gen.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/embed_gen.cmake
    COMMENT "Embedding ${symbol}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
  # Each generated table has its own anonymous-namespace names (d0, d1, ...): compiled alone,
  # never merged into a library's unity source (ctip_unity_libraries in CMakeLists.txt).
  set_source_files_properties("${out}" PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
endfunction()
