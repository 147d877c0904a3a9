"""lit test formats whose tests are rows of a table rather than files.

ModelChecks: one test per line of E2E/models.txt, each running
Inputs/check_model.py on one zoo model at one input size and batch.
OpChecks: one test per case of Ops/op_cases.py (each op and fused group
kind against PyTorch).
OnnxChecks: one test per line of Onnx/models.txt, each running
Inputs/check_onnx.py on one torchvision model exported to ONNX.

Table lines marked `slow` only run in the slow suite (`--param slow=1`) and
report UNSUPPORTED otherwise, so they are visible, never silently dropped.
"""
import os
import shlex
import subprocess
import sys

import lit.formats
import lit.Test
import lit.util


class ScriptTests(lit.formats.TestFormat):
    """Base: subclasses list (name, command, slow) for a directory."""

    def cases(self, source_dir, config):
        raise NotImplementedError

    def getTestsInDirectory(self, testSuite, path_in_suite, litConfig, localConfig):
        source_dir = testSuite.getSourcePath(path_in_suite)
        self.commands = {}
        for name, command, slow in self.cases(source_dir, localConfig):
            self.commands[name] = (command, slow)
            yield lit.Test.Test(testSuite, path_in_suite + (name,), localConfig)

    def execute(self, test, litConfig):
        command, slow = self.commands[test.path_in_suite[-1]]
        if slow and "slow" not in test.config.available_features:
            return lit.Test.UNSUPPORTED, "slow case: runs with --param slow=1\n"
        work = test.getExecPath() + ".dir"
        os.makedirs(work, exist_ok=True)
        command = command + [work]
        out, err, code = lit.util.executeCommand(command, env=test.config.environment, cwd=work)
        output = "$ %s\n%s%s" % (" ".join(shlex.quote(c) for c in command), out, err)
        # Kept beside the test's files: the observed errors, for tuning
        # tolerances and for reports (lit -a prints it too).
        with open(os.path.join(work, "log.txt"), "w") as f:
            f.write(output)
        return (lit.Test.PASS if code == 0 else lit.Test.FAIL), output


def table_cases(table, usage, name_of):
    """(name, fields) for each line of `table` (comments after `#`): each
    line has the fields `usage` names, the last `default` or `slow`, and a
    name (`name_of(fields)`) no other line has."""
    seen = set()
    with open(table, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            fields = line.split("#", 1)[0].split()
            if not fields:
                continue
            if len(fields) != len(usage.split()) or fields[-1] not in ("default", "slow"):
                raise ValueError("%s:%d: want %s" % (table, number, usage))
            name = name_of(fields)
            if name in seen:
                raise ValueError("%s:%d: duplicate case %s" % (table, number, name))
            seen.add(name)
            yield name, fields


class ModelChecks(ScriptTests):
    """Rows of `MODEL INPUT BATCH CHECKS SUITE` in models.txt."""

    def cases(self, source_dir, config):
        script = os.path.join(config.cnnc_src_root, "test", "Inputs", "check_model.py")
        for name, (model, size, batch, checks, suite) in table_cases(
                os.path.join(source_dir, "models.txt"),
                "MODEL INPUT BATCH CHECKS default|slow",
                # Int8 rows are cases of their own beside the f32 ones.
                lambda f: "%s-%s-b%s%s" % (f[0], f[1], f[2], "-int8" if all(
                    c.startswith("int8") for c in f[3].split(",")) else "")):
            command = [sys.executable, script, model, "--src=" + config.cnnc_src_root,
                       "--input-size=" + size, "--batch=" + batch, "--checks=" + checks]
            yield name, command, suite == "slow"


class OnnxChecks(ScriptTests):
    """Rows of `MODEL INPUT OPSET CHECKS SUITE` in models.txt; CHECKS are
    some of cpu, object, arm64 and opencl (check_onnx.py)."""

    def cases(self, source_dir, config):
        script = os.path.join(config.cnnc_src_root, "test", "Inputs", "check_onnx.py")
        for name, (model, size, opset, checks, suite) in table_cases(
                os.path.join(source_dir, "models.txt"),
                "MODEL INPUT OPSET CHECKS default|slow",
                lambda f: "%s-%s-opset-%s" % (f[0], f[1], f[2])):
            unknown = set(checks.split(",")) - {"cpu", "object", "arm64", "opencl"}
            if unknown:
                raise ValueError("Onnx/models.txt: %s: unknown checks %s (cpu, object, "
                                 "arm64, opencl)" % (name, sorted(unknown)))
            command = [sys.executable, script, model, "--src=" + config.cnnc_src_root,
                       "--input-size=" + size, "--opset=" + opset, "--checks=" + checks]
            yield name, command, suite == "slow"


class OpChecks(ScriptTests):
    """The cases op_cases.py lists."""

    def cases(self, source_dir, config):
        script = os.path.join(source_dir, "op_cases.py")
        names = subprocess.run([sys.executable, script, "--list"], check=True,
                               stdout=subprocess.PIPE, text=True).stdout.split()
        for name in names:
            yield name, [sys.executable, script, name], False
