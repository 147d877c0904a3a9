# lit configuration of the CNNC test suite.
import os
import sys

import lit.formats

# Test formats whose tests are rows of a table (E2E/, Ops/).
sys.path.insert(0, os.path.dirname(__file__))

config.name = "CNNC"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "Unit", "lit.cfg.py", "lit.site.cfg.py", "lit_formats.py",
                   "__pycache__"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.cnnc_obj_root, "test")

# Our tools first, then FileCheck, not, count and split-file from LLVM 22.
config.environment["PATH"] = os.pathsep.join(
    [config.cnnc_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")]
)
# cnnc's compile cache (one for the whole suite) and PoCL's (the OpenCL
# tests' CPU device) stay in the build tree rather than the user's home.
config.environment["XDG_CACHE_HOME"] = os.path.join(config.cnnc_obj_root, "cache")
config.environment["POCL_CACHE_DIR"] = os.path.join(config.cnnc_obj_root, "pocl-cache")
config.substitutions.append(("%models", os.path.join(config.cnnc_src_root, "models")))
config.substitutions.append(("%cnnc_src", config.cnnc_src_root))
config.substitutions.append(("%cnnc_obj", config.cnnc_obj_root))
config.substitutions.append(("%inputs", os.path.join(config.cnnc_src_root, "test", "Inputs")))
config.substitutions.append(("%python", sys.executable))
config.substitutions.append(("%halide_include", config.halide_include_dir))

# ONNX Runtime (npm's onnxruntime-node, installed by scripts/install-deps.sh
# --test into the user's cache, which XDG_CACHE_HOME above no longer names):
# the oracle of the quantized-model tests.
config.environment["ORT_NODE_MODULES"] = os.environ.get("ORT_NODE_MODULES") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "cnnc", "bench")

# Full-size sweeps only run with `--param slow=1` (ninja check-cnnc-slow).
# The sanitizer build (scripts/test.sh --sanitize): the programs the tests
# compile and the C wrappers cnnc compiles get ASan and UBSan too, from the
# compiler that built the tools (clang), so one runtime serves each process.
if config.cnnc_sanitize.upper() in ("ON", "1", "TRUE", "YES"):
    sanitizer_flags = ("-fsanitize=address,undefined -fno-sanitize-recover=all "
                       "-fno-omit-frame-pointer")
    config.environment["CNNC_CC"] = "clang"
    config.environment["CNNC_CFLAGS"] = sanitizer_flags
    config.substitutions.append(("%cc", "clang " + sanitizer_flags))
    config.environment["LSAN_OPTIONS"] = "suppressions=" + os.path.join(
        config.cnnc_src_root, "test", "Inputs", "lsan.supp")
    config.available_features.add("sanitize")
else:
    config.substitutions.append(("%cc", "cc"))

# A CPU with AMX-INT8 tiles (Sapphire Rapids): int8 models compiled for the
# host there run the AMX conv kernel (runtime/cnnc_qconv_amx.c).
try:
    with open("/proc/cpuinfo") as cpuinfo:
        flags = next((line.split() for line in cpuinfo if line.startswith("flags")), [])
    if "amx_int8" in flags and "amx_tile" in flags:
        config.available_features.add("amx")
except OSError:
    pass

if lit_config.params.get("slow"):
    config.available_features.add("slow")
