# Runs the GoogleTest unit tests (build/unittests/*Tests) under lit.
import lit.formats

config.name = "CNNC-Unit"
config.test_format = lit.formats.GoogleTest(".", "Tests")
config.test_source_root = config.unittests_dir
config.test_exec_root = config.unittests_dir
