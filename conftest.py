"""The measuring harness and the fixtures benchmarks and tests share are pytest plugins in benchlib."""

pytest_plugins = ["benchlib.harness", "benchlib.fixtures", "benchlib.project_under_test"]
