"""Benchmarks: elderscan against the floor (bare navigation) and its peers, in one run."""
