"""Benchmarks (run with `python -m bench`) and the large synthetic site generator."""
