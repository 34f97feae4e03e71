"""The CI gate (`elderscan ci`): thresholds on the score, and new problems against a baseline."""

from elderscan.gate.baseline import Baseline, baseline_from_report, load_baseline, write_baseline
from elderscan.gate.gate import GateVerdict, Thresholds, compare, evaluate, parse_dimensions

__all__ = ["Baseline", "GateVerdict", "Thresholds", "baseline_from_report", "compare",
           "evaluate", "load_baseline", "parse_dimensions", "write_baseline"]
