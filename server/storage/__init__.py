"""Storage: reads and writes in Redis, no judgement. Every key name comes from keys.py."""
