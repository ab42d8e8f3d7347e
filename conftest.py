"""The measuring harness, its instruction and attribution modes and the shared fixtures: pytest plugins in benchlib."""

pytest_plugins = [
    "benchlib.instruction_mode",
    "benchlib.attribution_mode",
    "benchlib.harness",
    "benchlib.fixtures",
    "benchlib.project_under_test",
]
