"""`python -m benchtools postgres`: a command run against a throwaway PostgreSQL cluster of its own."""
