"""`python -m benchtools schemes`: a saved run's authentication tables."""
