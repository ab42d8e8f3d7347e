"""What the benchmarks, the tests and the command-line tools share.

The measuring harness (a pytest plugin), the hashers under test and their work factors,
the credentials a client sends, the records benchmarks leave in a saved run, and the one
place durations and tables are formatted. Nothing here imports benchmarks, tests or
benchtools.
"""
