"""`python -m benchtools e2e`: throughput and latency of benchsite served by real servers, per authentication scheme."""
