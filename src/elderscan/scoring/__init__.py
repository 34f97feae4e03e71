"""Scoring: findings to dimension scores, a total, vetoes and a grade, by a versioned model."""

from elderscan.scoring.compute import Judged, Tally, compute, grade
from elderscan.scoring.weights import MODEL_VERSION

__all__ = ["MODEL_VERSION", "Judged", "Tally", "compute", "grade"]
