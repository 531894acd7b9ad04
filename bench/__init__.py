"""Benchmark of the tracking sync, and the fake carrier it (and the sync tests) talk to."""
