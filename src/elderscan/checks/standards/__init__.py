"""Thresholds from the standards, as plain data: no imports, no logic."""
