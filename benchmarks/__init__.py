"""Benchmarks that measure and print; run them with ``nox -s bench``."""
