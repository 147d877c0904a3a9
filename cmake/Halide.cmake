# Imports Debian's Halide 14 (libhalide14-0-dev) as the target CNNC::Halide.
find_path(HALIDE_INCLUDE_DIR Halide.h PATH_SUFFIXES halide14)
find_library(HALIDE_LIBRARY NAMES Halide14 Halide)
if(HALIDE_INCLUDE_DIR AND HALIDE_LIBRARY)
  add_library(CNNC::Halide SHARED IMPORTED)
  set_target_properties(CNNC::Halide PROPERTIES
    IMPORTED_LOCATION "${HALIDE_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${HALIDE_INCLUDE_DIR}")
  message(STATUS "Halide: ${HALIDE_LIBRARY}")
else()
  message(FATAL_ERROR "Halide 14 not found: run scripts/install-deps.sh")
endif()
