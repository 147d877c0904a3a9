# cnnc_add_model(<target> MODEL <file.mlir|file.onnx>
#                [WEIGHTS <file>] [RANDOM_WEIGHTS <seed>]
#                [TARGET <halide target>] [FUNCTION_NAME <name>]
#                [OPT_LEVEL 0|1|2] [QUANTIZE int8 CALIBRATION <path>])
#
# Compiles MODEL with cnnc into a static library and makes <target> a
# library to link: its include directory holds the generated <name>.h
# (which declares <name>_run and the shapes). It is rebuilt when the model,
# the weights or cnnc change. An ONNX model carries its weights; a .mlir
# model takes WEIGHTS (.safetensors or .npz) or RANDOM_WEIGHTS. QUANTIZE
# int8 computes its convs in int8, calibrated on CALIBRATION (a .npy of
# inputs, or a folder of them) by CALIBRATION_METHOD (minmax, the default,
# percentile or entropy).
function(cnnc_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG ""
    "MODEL;WEIGHTS;RANDOM_WEIGHTS;TARGET;FUNCTION_NAME;OPT_LEVEL;QUANTIZE;CALIBRATION;CALIBRATION_METHOD"
    "")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "cnnc_add_model(${target}): unknown arguments "
                        "${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_MODEL)
    message(FATAL_ERROR "cnnc_add_model(${target}): MODEL is required")
  endif()
  if(ARG_WEIGHTS AND DEFINED ARG_RANDOM_WEIGHTS)
    message(FATAL_ERROR "cnnc_add_model(${target}): give WEIGHTS or "
                        "RANDOM_WEIGHTS, not both")
  endif()
  if(DEFINED ARG_QUANTIZE AND NOT ARG_QUANTIZE STREQUAL "int8")
    message(FATAL_ERROR "cnnc_add_model(${target}): QUANTIZE must be int8, "
                        "not '${ARG_QUANTIZE}'")
  endif()
  if(DEFINED ARG_QUANTIZE AND NOT ARG_CALIBRATION)
    message(FATAL_ERROR "cnnc_add_model(${target}): QUANTIZE int8 needs "
                        "CALIBRATION <.npy or folder>")
  endif()
  if(NOT DEFINED ARG_OPT_LEVEL)
    set(ARG_OPT_LEVEL 2)
  endif()
  if(NOT ARG_OPT_LEVEL MATCHES "^[012]$")
    message(FATAL_ERROR "cnnc_add_model(${target}): OPT_LEVEL must be 0, 1 "
                        "or 2, not '${ARG_OPT_LEVEL}'")
  endif()
  if(NOT ARG_TARGET)
    set(ARG_TARGET host)
  endif()
  set(name "${ARG_FUNCTION_NAME}")
  if(NOT name)
    string(MAKE_C_IDENTIFIER "${target}" name)
  endif()

  get_filename_component(model "${ARG_MODEL}" ABSOLUTE)
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/cnnc/${target}")
  set(library "${dir}/${name}.a")
  set(flags "--emit=static-library" "--entry-name=${name}"
            "-O${ARG_OPT_LEVEL}" "--target=${ARG_TARGET}" "--quiet")
  set(depends "${model}")
  if(ARG_WEIGHTS)
    get_filename_component(weights "${ARG_WEIGHTS}" ABSOLUTE)
    list(APPEND flags "--weights=${weights}")
    list(APPEND depends "${weights}")
  elseif(DEFINED ARG_RANDOM_WEIGHTS)
    list(APPEND flags "--random-weights=${ARG_RANDOM_WEIGHTS}")
  endif()
  if(DEFINED ARG_QUANTIZE)
    get_filename_component(calibration "${ARG_CALIBRATION}" ABSOLUTE)
    list(APPEND flags "--quantize=int8" "--calibration=${calibration}")
    list(APPEND depends "${calibration}")
    if(ARG_CALIBRATION_METHOD)
      list(APPEND flags "--calibration-method=${ARG_CALIBRATION_METHOD}")
    endif()
  elseif(ARG_CALIBRATION_METHOD)
    message(FATAL_ERROR "cnnc_add_model(${target}): CALIBRATION_METHOD is "
                        "for QUANTIZE int8")
  endif()

  add_custom_command(
    OUTPUT "${library}" "${dir}/${name}.h"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${dir}"
    COMMAND CNNC::cnnc "${model}" ${flags} -o "${library}"
    DEPENDS ${depends} CNNC::cnnc
    COMMENT "cnnc: compiling ${ARG_MODEL} (${name})"
    VERBATIM)
  add_custom_target(${target}_cnnc DEPENDS "${library}" "${dir}/${name}.h")

  add_library(${target} INTERFACE)
  add_dependencies(${target} ${target}_cnnc)
  target_include_directories(${target} INTERFACE "${dir}"
                             "${CNNC_HALIDE_INCLUDE_DIR}")
  target_link_libraries(${target} INTERFACE "${library}" Threads::Threads
                        ${CMAKE_DL_LIBS} m)
endfunction()
