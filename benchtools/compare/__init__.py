"""`python -m benchtools compare`: is HEAD slower than BASE?"""
