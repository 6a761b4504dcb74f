"""Evaluation records (R-NB-4)."""
