"""Metrics against confusion matrices worked out by hand."""

import pytest

from factcheck.evaluation.metrics import latency, score

LABELS = ("supported", "not supported")


def test_binary_scores_match_hand_computed_values():
    # gold supported: 3 right, 1 wrong; gold not supported: 2 right, 4 wrong
    pairs = (
        [("supported", "supported")] * 3
        + [("supported", "not supported")]
        + [("not supported", "not supported")] * 2
        + [("not supported", "supported")] * 4
    )
    s = score(pairs, LABELS)
    assert s.confusion == {
        "supported": {"supported": 3, "not supported": 1},
        "not supported": {"supported": 4, "not supported": 2},
    }
    assert s.per_label["supported"].precision == pytest.approx(3 / 7, abs=1e-4)
    assert s.per_label["supported"].recall == 0.75
    assert s.per_label["supported"].f1 == pytest.approx(
        2 * (3 / 7) * 0.75 / (3 / 7 + 0.75), abs=1e-4
    )
    assert s.per_label["not supported"].precision == pytest.approx(2 / 3, abs=1e-4)
    assert s.per_label["not supported"].recall == pytest.approx(1 / 3, abs=1e-4)
    assert s.per_label["not supported"].support == 6
    assert s.balanced_accuracy == pytest.approx((0.75 + 1 / 3) / 2, abs=1e-4)
    assert s.accuracy == 0.5
    assert s.n == 10


def test_predictions_outside_the_labels_get_their_own_column_and_count_as_wrong():
    labels = ("agreement", "discrepancy", "unsupported")
    pairs = [
        ("agreement", "agreement"),
        ("agreement", "missed"),
        ("discrepancy", "discrepancy"),
        ("unsupported", "agreement"),
    ]
    s = score(pairs, labels)
    assert s.predicted_labels == (*labels, "missed")
    assert s.confusion["agreement"]["missed"] == 1
    assert s.per_label["agreement"].recall == 0.5
    assert s.per_label["agreement"].precision == 0.5
    assert s.per_label["unsupported"].f1 == 0.0
    assert s.balanced_accuracy == pytest.approx((0.5 + 1 + 0) / 3, abs=1e-4)


def test_a_constant_predictor_scores_chance():
    pairs = [("supported", "supported")] * 9 + [("not supported", "supported")] * 91
    assert score(pairs, LABELS).balanced_accuracy == 0.5


def test_unknown_gold_label_is_refused():
    with pytest.raises(ValueError):
        score([("maybe", "supported")], LABELS)


def test_latency_percentiles():
    lat = latency([float(i) for i in range(1, 101)])
    assert lat["mean"] == 50.5
    assert lat["p50"] == 50.5
    assert lat["p95"] == pytest.approx(95.05)
