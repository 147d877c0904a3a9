"""CNNC from Python: compile a CNN to native code, run it on NumPy arrays.

    import cnnc, numpy as np
    model = cnnc.compile("resnet18.onnx")
    scores = model(np.zeros(model.input_shape, np.float32))

`compile` takes a `.mlir` or `.onnx` path, or a `torch.nn.Module` (exported
through ONNX with `example_input`), runs the `cnnc` compiler that was
installed with this package into a shared library, and loads it with
ctypes. The library is the same one `cnnc --emit=shared-library` writes,
so `Model.save` keeps it and `cnnc.load` (or C, through its header) uses it
again.
"""
import ctypes
import dataclasses
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import weakref

import numpy as np

__all__ = ["CompileError", "Latency", "Model", "compile", "load", "compiler"]


class CompileError(RuntimeError):
    """cnnc rejected the model; the message is the compiler's."""


@dataclasses.dataclass(frozen=True)
class Latency:
    """Latency statistics of `Model.benchmark`, in milliseconds."""
    runs: int
    min_ms: float
    median_ms: float
    mean_ms: float
    max_ms: float


def compiler():
    """The cnnc executable: $CNNC_COMPILER, else the one installed beside
    this package (PREFIX/bin/cnnc for PREFIX/lib/python3/dist-packages/cnnc),
    else cnnc on PATH."""
    if os.environ.get("CNNC_COMPILER"):
        return os.environ["CNNC_COMPILER"]
    here = os.path.dirname(os.path.abspath(__file__))
    beside = os.path.join(here, "..", "..", "..", "..", "bin", "cnnc")
    if os.access(beside, os.X_OK):
        return os.path.normpath(beside)
    found = shutil.which("cnnc")
    if not found:
        raise CompileError("cannot find the cnnc compiler: set CNNC_COMPILER "
                           "or put cnnc on PATH")
    return found


def _export_onnx(module, example_input, path):
    import torch  # only needed for modules
    if example_input is None:
        raise ValueError("compiling a torch.nn.Module needs example_input, a "
                         "tensor of the shape the model will be called with")
    was_training = module.training
    module.eval()
    try:
        with torch.no_grad():
            torch.onnx.export(module, example_input, path,
                              input_names=["input"], output_names=["output"],
                              training=torch.onnx.TrainingMode.EVAL)
    finally:
        module.train(was_training)


def compile(model, weights=None, random_weights=None, target="host",
            opt_level=2, example_input=None, function=None, quantize=None,
            calibration=None, calibration_method=None):
    """Compiles `model` (a .mlir or .onnx path, or a torch.nn.Module) and
    returns it loaded as a `Model`. The arguments are cnnc's flags:
    `weights` is a .safetensors file bound by name (--weights; a .mlir
    model needs it or `random_weights`, a seed; for an .onnx model it
    overrides initializers of the same names); `target` a Halide target
    string ("host", "host-opencl", ...); `opt_level` 0, 1 or 2 (-O);
    `function` the model function of a .mlir file with several
    (--function); `quantize="int8"` computes the convs in int8, calibrated
    on `calibration` (--calibration: a .npy path or folder, or an array of
    inputs shaped like the model's input without its batch, N of them),
    its ranges by `calibration_method` ("minmax", the default,
    "percentile" or "entropy": --calibration-method).
    Raises CompileError with the compiler's message."""
    if quantize not in (None, "int8"):
        raise ValueError("quantize must be None or 'int8', not %r" % (quantize,))
    if (quantize is None) != (calibration is None):
        raise ValueError("quantize='int8' and calibration go together")
    if calibration_method is not None and quantize is None:
        raise ValueError("calibration_method is for quantize='int8'")
    if opt_level not in (0, 1, 2):
        raise ValueError("opt_level must be 0, 1 or 2, not %r" % (opt_level,))
    if weights is not None and random_weights is not None:
        raise ValueError("give weights or random_weights, not both")
    work = tempfile.mkdtemp(prefix="cnnc-")
    try:
        if not isinstance(model, (str, os.PathLike)):
            path = os.path.join(work, "model.onnx")
            _export_onnx(model, example_input, path)
            model = path
        library = os.path.join(work, "model.so")
        args = [compiler(), os.fspath(model), "--emit=shared-library",
                "-O%d" % opt_level, "--target=" + target, "--quiet",
                "-o", library]
        if weights is not None:
            args.append("--weights=" + os.fspath(weights))
        if random_weights is not None:
            args.append("--random-weights=%d" % random_weights)
        if function is not None:
            args.append("--function=" + function)
        if quantize is not None:
            if not isinstance(calibration, (str, os.PathLike)):
                path = os.path.join(work, "calibration.npy")
                np.save(path, np.ascontiguousarray(calibration, np.float32))
                calibration = path
            args += ["--quantize=" + quantize,
                     "--calibration=" + os.fspath(calibration)]
            if calibration_method is not None:
                args.append("--calibration-method=" + calibration_method)
        result = subprocess.run(args, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            raise CompileError(result.stderr.strip() or
                               "cnnc failed with exit code %d" %
                               result.returncode)
        loaded = Model(library)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    # The library stays on disk while the model lives, for Model.save.
    weakref.finalize(loaded, shutil.rmtree, work, True)
    return loaded


def load(path):
    """Loads a shared library that cnnc (or Model.save) wrote."""
    return Model(os.fspath(path))


class _ModelInfo(ctypes.Structure):
    """runtime/cnnc_model_info.h's struct cnnc_model_info, version 1."""
    _MAX_RANK = 8
    _fields_ = [("version", ctypes.c_int),
                ("name", ctypes.c_char_p),
                ("run", ctypes.c_char_p),
                ("profile", ctypes.c_char_p),
                ("stages", ctypes.c_char_p),
                ("target", ctypes.c_char_p),
                ("input_rank", ctypes.c_int),
                ("output_rank", ctypes.c_int),
                ("input_shape", ctypes.c_longlong * _MAX_RANK),
                ("output_shape", ctypes.c_longlong * _MAX_RANK)]


class Model:
    """A compiled model in a shared library. Calling it runs one inference
    on a float32 array of `input_shape` and returns a new array of
    `output_shape`. Safe to call from several threads at once."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        try:
            self._library = ctypes.CDLL(self.path)
            describe = self._library.cnnc_model_info
        except (OSError, AttributeError) as e:
            raise ValueError("%s is not a model compiled by cnnc "
                             "--emit=shared-library: %s" % (path, e)) from None
        describe.restype = ctypes.POINTER(_ModelInfo)
        info = describe().contents
        if info.version < 1 or not 1 <= info.input_rank <= _ModelInfo._MAX_RANK \
                or not 1 <= info.output_rank <= _ModelInfo._MAX_RANK:
            raise ValueError("%s: unreadable cnnc_model_info (version %d)" %
                             (path, info.version))
        self.name = info.name.decode()
        self.target = info.target.decode()
        self.input_shape = tuple(info.input_shape[:info.input_rank])
        self.output_shape = tuple(info.output_shape[:info.output_rank])
        self._run = getattr(self._library, info.run.decode())
        pointer = ctypes.POINTER(ctypes.c_float)
        self._run.argtypes = [pointer, pointer]
        self._run.restype = ctypes.c_int

    def __repr__(self):
        return "<cnnc.Model %s %s -> %s, %s>" % (
            self.name, self.input_shape, self.output_shape, self.target)

    def __call__(self, x):
        x = np.asarray(x)
        if x.dtype != np.float32:
            raise TypeError("%s takes float32 input, not %s" %
                            (self.name, x.dtype))
        if tuple(x.shape) != self.input_shape:
            raise ValueError("%s takes input of shape %s, not %s" %
                             (self.name, self.input_shape, tuple(x.shape)))
        x = np.ascontiguousarray(x)
        out = np.empty(self.output_shape, np.float32)
        pointer = ctypes.POINTER(ctypes.c_float)
        rc = self._run(x.ctypes.data_as(pointer), out.ctypes.data_as(pointer))
        if rc != 0:
            raise RuntimeError("%s failed with Halide error %d" %
                               (self.name, rc))
        return out

    def benchmark(self, n=20, warmup=2):
        """Runs the model `warmup` + `n` times on zeros and returns the
        latency of the last `n` runs."""
        if n < 1:
            raise ValueError("n must be at least 1, not %r" % (n,))
        x = np.zeros(self.input_shape, np.float32)
        for _ in range(warmup):
            self(x)
        times = []
        for _ in range(n):
            start = time.perf_counter()
            self(x)
            times.append(1e3 * (time.perf_counter() - start))
        return Latency(n, min(times), statistics.median(times),
                       statistics.fmean(times), max(times))

    def save(self, path):
        """Writes the shared library to `path` (whole or not at all)."""
        path = os.fspath(path)
        partial = path + ".partial"
        shutil.copyfile(self.path, partial)
        os.replace(partial, path)
