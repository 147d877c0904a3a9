# `cmake --install build --prefix P`: the tools, the runtime helper header
# and examples, the op docs, the CMake package (P/lib/cmake/CNNC) and the
# Python package (P/lib/python3/dist-packages/cnnc).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS cnnc cnn-run cnn-opt cnn-zoo cnn-exec cnn-import
        EXPORT CNNCTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES examples/cnnc_io.h runtime/cnnc_model_info.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/cnnc)
install(FILES examples/classify.c examples/cnnc_io.h
        DESTINATION ${CMAKE_INSTALL_DATADIR}/cnnc/examples)
install(DIRECTORY examples/cmake-app
        DESTINATION ${CMAKE_INSTALL_DATADIR}/cnnc/examples)
install(DIRECTORY ${PROJECT_BINARY_DIR}/docs/
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/ops)
install(DIRECTORY python/cnnc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/python3/dist-packages
        PATTERN __pycache__ EXCLUDE)

set(package_dir ${CMAKE_INSTALL_LIBDIR}/cmake/CNNC)
install(EXPORT CNNCTargets NAMESPACE CNNC:: DESTINATION ${package_dir})
configure_package_config_file(cmake/CNNCConfig.cmake.in
  ${PROJECT_BINARY_DIR}/CNNCConfig.cmake
  INSTALL_DESTINATION ${package_dir}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/CNNCConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/CNNCConfig.cmake
              ${PROJECT_BINARY_DIR}/CNNCConfigVersion.cmake
              cmake/CNNCModel.cmake
        DESTINATION ${package_dir})
