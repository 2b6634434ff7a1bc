"""Batch evaluation: load a labelled dataset, run the real pipeline on every example, and score it."""

from factcheck.evaluation.loaders import Example, load_dataset
from factcheck.evaluation.metrics import Scores, score
from factcheck.evaluation.runner import EvalRun, run_eval

__all__ = ["EvalRun", "Example", "Scores", "load_dataset", "run_eval", "score"]
