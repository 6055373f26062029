"""Helpers shared by the tests, the benchmark and the nox sessions."""
