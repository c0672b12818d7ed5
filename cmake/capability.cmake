# ctip_capability(LIBRARY lib)
# Declares the library of a capability (src/<capability>/: its service, repository, routes and
# CLI) so that the registry (src/app) links it, and collects the capability's schema migrations
# (src/<capability>/schema/NNNN_*.sql) for the store: src/app embeds them all as
# ctip::embedded::migrations(), which the store applies in version order. Versions are numbered
# across all capabilities (0001, 0002, 0003, ...). See docs/architecture.md.
function(ctip_capability)
  cmake_parse_arguments(CAP "" "LIBRARY" "" ${ARGN})
  if(NOT CAP_LIBRARY)
    message(FATAL_ERROR "ctip_capability: LIBRARY is required")
  endif()
  set_property(GLOBAL APPEND PROPERTY CTIP_CAPABILITY_LIBRARIES ${CAP_LIBRARY})
  file(GLOB schema CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/schema/*.sql)
  set_property(GLOBAL APPEND PROPERTY CTIP_SCHEMA_FILES ${schema})
endfunction()
