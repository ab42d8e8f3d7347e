"""Tools over saved pytest-benchmark runs: compare commits, show history (`python -m benchtools`)."""
