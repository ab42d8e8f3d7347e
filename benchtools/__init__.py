"""Command-line tools that analyse and extend the benchmarks: `python -m benchtools SUBCOMMAND`."""
