"""The measuring harness, its instruction mode and the shared fixtures are pytest plugins in benchlib."""

pytest_plugins = ["benchlib.instruction_mode", "benchlib.harness", "benchlib.fixtures", "benchlib.project_under_test"]
