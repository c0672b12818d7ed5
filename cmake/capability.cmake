# ctip_capability(NAME cap LIBRARY lib [PROBES file.cpp])
# Declares the library of a capability (src/<capability>/: its service, repository, routes and
# CLI) so that the registry (src/app) links it; its route probes (PROBES: a file defining
# ctip::server::testing::probes_<cap>, see src/server/route_probes.h) so that the route x role
# test covers its routes (in CMake's order of the capabilities); and collects the capability's schema migrations
# (src/<capability>/schema/NNNN_*.sql) for the store: src/app embeds them all as
# ctip::embedded::migrations(), which the store applies in version order. Versions are numbered
# across all capabilities (0001, 0002, 0003, ...). See docs/architecture.md.
function(ctip_capability)
  cmake_parse_arguments(CAP "" "NAME;LIBRARY;PROBES" "" ${ARGN})
  if(NOT CAP_NAME OR NOT CAP_LIBRARY)
    message(FATAL_ERROR "ctip_capability: NAME and LIBRARY are required")
  endif()
  set_property(GLOBAL APPEND PROPERTY CTIP_CAPABILITY_LIBRARIES ${CAP_LIBRARY})
  if(CAP_PROBES)
    set_property(GLOBAL APPEND PROPERTY CTIP_CAPABILITY_PROBES ${CAP_NAME})
    set_property(GLOBAL APPEND PROPERTY CTIP_CAPABILITY_PROBE_FILES
                 ${CMAKE_CURRENT_SOURCE_DIR}/${CAP_PROBES})
  endif()
  file(GLOB schema CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/schema/*.sql)
  set_property(GLOBAL APPEND PROPERTY CTIP_SCHEMA_FILES ${schema})
endfunction()
