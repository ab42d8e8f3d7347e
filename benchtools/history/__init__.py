"""`python -m benchtools history`: the saved runs, and benchmarks over commits."""
