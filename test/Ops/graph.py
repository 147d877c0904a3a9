"""The per-op harness's model builder: each op written as `cnn` dialect text
and computed by PyTorch (in float64) at the same time, so a case's expected
output never comes from CNNC. op_cases.py's cases use it.
"""
import torch
import torch.nn.functional as F


def type_of(t):
    element = {torch.quint8: "ui8", torch.qint8: "i8"}.get(t.dtype, "f32")
    return "tensor<%sx%s>" % ("x".join(str(d) for d in t.shape), element)


def array(values):
    return "array<i64: %s>" % ", ".join(str(v) for v in values)


class Value:
    def __init__(self, name, tensor):
        self.name, self.tensor = name, tensor


class Graph:
    """A one-input model written as cnn text and computed by torch."""

    def __init__(self, shape, seed, scale=1.0):
        self.generator = torch.Generator().manual_seed(seed)
        x = torch.randn(shape, generator=self.generator, dtype=torch.float64) * scale
        # The model sees the f32 input: the oracle starts from the same bits.
        x = x.float().double()
        self.input = Value("%x", x)
        self.lines, self.weights, self.count = [], {}, 0

    def _fresh(self):
        self.count += 1
        return "%%v%d" % self.count

    def weight(self, name, shape, lo=-1.0, hi=1.0):
        t = torch.rand(shape, generator=self.generator, dtype=torch.float64) * (hi - lo) + lo
        t = t.float().double()
        self.weights[name] = t
        v = Value(self._fresh(), t)
        self.lines.append('%s = cnn.weight "%s" : %s' % (v.name, name, type_of(t)))
        return v

    def int8_constant(self, t):
        """A quantized (qint8) weight written inline as an i8 constant."""
        v = Value(self._fresh(), t)
        self.lines.append("%s = cnn.constant dense<%s> : %s" %
                          (v.name, t.int_repr().tolist(), type_of(t)))
        return v

    def op(self, mnemonic, operands, result, attrs=None, unary=False, arrow=False):
        """Appends `cnn.<mnemonic>`; `result` is torch's value for it. The
        types are printed as `T` (unary), `T -> U` (arrow) or functional."""
        v = Value(self._fresh(), result)
        attr_text = " {%s}" % ", ".join("%s = %s" % kv for kv in attrs.items()) if attrs else ""
        names = ", ".join(o.name for o in operands)
        if unary:
            types = type_of(result)
        elif arrow:
            types = "%s -> %s" % (type_of(operands[0].tensor), type_of(result))
        else:
            types = "(%s) -> %s" % (", ".join(type_of(o.tensor) for o in operands),
                                    type_of(result))
        self.lines.append("%s = cnn.%s %s%s : %s" % (v.name, mnemonic, names, attr_text, types))
        return v

    def text(self, out):
        body = "\n".join("  " + line for line in self.lines)
        return ("func.func @case(%%x: %s) -> %s {\n%s\n  return %s : %s\n}\n" %
                (type_of(self.input.tensor), type_of(out.tensor), body, out.name,
                 type_of(out.tensor)))


# ---------------------------------------------------------------- op helpers

def conv(g, x, out_channels, kernel, stride=(1, 1), padding=(0, 0, 0, 0),
         dilation=(1, 1), groups=1, bias=True, prefix="conv"):
    in_channels = x.tensor.shape[1]
    fan_in = in_channels // groups * kernel[0] * kernel[1]
    a = (3.0 / fan_in) ** 0.5
    w = g.weight(prefix + ".weight", (out_channels, in_channels // groups) + tuple(kernel), -a, a)
    b = g.weight(prefix + ".bias", (out_channels,), -0.1, 0.1) if bias else None
    top, left, bottom, right = padding
    padded = F.pad(x.tensor, (left, right, top, bottom))
    y = F.conv2d(padded, w.tensor, b.tensor if b else None, stride=stride,
                 dilation=dilation, groups=groups)
    attrs = {}
    if tuple(stride) != (1, 1):
        attrs["stride"] = array(stride)
    if any(padding):
        attrs["padding"] = array(padding)
    if tuple(dilation) != (1, 1):
        attrs["dilation"] = array(dilation)
    if groups != 1:
        attrs["groups"] = "%d : i64" % groups
    return g.op("conv2d", [x, w] + ([b] if b else []), y, attrs)


def batch_norm(g, x, prefix="bn", eps=1e-5):
    c = x.tensor.shape[1]
    w = g.weight(prefix + ".weight", (c,), 0.5, 1.5)
    b = g.weight(prefix + ".bias", (c,), -0.2, 0.2)
    m = g.weight(prefix + ".running_mean", (c,), -0.2, 0.2)
    v = g.weight(prefix + ".running_var", (c,), 0.5, 1.5)
    y = F.batch_norm(x.tensor, m.tensor, v.tensor, w.tensor, b.tensor, False, 0.0, eps)
    return g.op("batch_norm", [x, w, b, m, v], y, {"epsilon": "%.6e : f64" % eps})


def layer_norm(g, x, prefix="norm", eps=1e-6):
    c = x.tensor.shape[1]
    w = g.weight(prefix + ".weight", (c,), 0.5, 1.5)
    b = g.weight(prefix + ".bias", (c,), -0.2, 0.2)
    y = F.layer_norm(x.tensor.permute(0, 2, 3, 1), (c,), w.tensor, b.tensor, eps)
    return g.op("layer_norm", [x, w, b], y.permute(0, 3, 1, 2).contiguous(),
                {"epsilon": "%.6e : f64" % eps})


def unary(g, x, mnemonic, fn, attrs=None):
    return g.op(mnemonic, [x], fn(x.tensor), attrs, unary=True)


def relu(g, x):
    return unary(g, x, "relu", F.relu)


def relu6(g, x):
    return unary(g, x, "relu6", F.relu6)


def gelu(g, x, approximate="none"):
    v = g.op("gelu", [x], F.gelu(x.tensor, approximate=approximate), unary=True)
    if approximate == "tanh":
        g.lines[-1] = g.lines[-1].replace(" : ", " approximate tanh : ", 1)
    return v


def add(g, a, b):
    return g.op("add", [a, b], a.tensor + b.tensor)


def mul(g, a, b):
    return g.op("mul", [a, b], a.tensor * b.tensor)


def sub(g, a, b):
    return g.op("sub", [a, b], a.tensor - b.tensor)


def div(g, a, b):
    return g.op("div", [a, b], a.tensor / b.tensor)


def reduce_mean(g, x, axes, keepdim=True):
    attrs = {"axes": array(axes)}
    if not keepdim:
        attrs["keepdim"] = "false"
    return g.op("reduce_mean", [x], x.tensor.mean(dim=tuple(axes), keepdim=keepdim), attrs)


def max_pool(g, x, kernel, stride, padding=(0, 0, 0, 0), dilation=(1, 1), ceil_mode=False):
    # torch pads symmetrically: the dialect's [top, left, bottom, right]
    # is tested with equal sides here.
    y = F.max_pool2d(x.tensor, kernel, stride, (padding[0], padding[1]), dilation,
                     ceil_mode=ceil_mode)
    attrs = {"kernel_size": array(kernel), "stride": array(stride)}
    if any(padding):
        attrs["padding"] = array(padding)
    if tuple(dilation) != (1, 1):
        attrs["dilation"] = array(dilation)
    if ceil_mode:
        attrs["ceil_mode"] = "true"
    return g.op("max_pool2d", [x], y, attrs)


def avg_pool(g, x, kernel, stride, padding=(0, 0, 0, 0), ceil_mode=False,
             count_include_pad=True):
    y = F.avg_pool2d(x.tensor, kernel, stride, (padding[0], padding[1]),
                     ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    attrs = {"kernel_size": array(kernel), "stride": array(stride)}
    if any(padding):
        attrs["padding"] = array(padding)
    if ceil_mode:
        attrs["ceil_mode"] = "true"
    if not count_include_pad:
        attrs["count_include_pad"] = "false"
    return g.op("avg_pool2d", [x], y, attrs)


def adaptive_avg_pool(g, x, size):
    y = F.adaptive_avg_pool2d(x.tensor, size)
    return g.op("adaptive_avg_pool2d", [x], y, {"output_size": array(size)})


def flatten(g, x):
    return g.op("flatten", [x], torch.flatten(x.tensor, 1))


def linear(g, x, out_features, prefix="fc"):
    a = (3.0 / x.tensor.shape[1]) ** 0.5
    w = g.weight(prefix + ".weight", (out_features, x.tensor.shape[1]), -a, a)
    b = g.weight(prefix + ".bias", (out_features,), -0.1, 0.1)
    return g.op("linear", [x, w, b], F.linear(x.tensor, w.tensor, b.tensor))


# ------------------------------------------------------------------ cases

CASES = {}


def case(fn):
    """Registers a case: a function returning (graph, output value)."""
    CASES[fn.__name__] = fn
    return fn
