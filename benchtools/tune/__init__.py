"""`python -m benchtools tune`: the strongest hasher settings for a login budget."""
