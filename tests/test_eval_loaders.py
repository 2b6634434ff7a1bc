"""Each dataset format on small fixture files, including malformed ones."""

from pathlib import Path

import pytest

from factcheck.errors import FactcheckError
from factcheck.evaluation.loaders import load_dataset

FIXTURES = Path(__file__).parent / "fixtures"


def test_summedits_rows_become_binary_examples_with_splits():
    data = load_dataset(FIXTURES / "summedits_small.json")
    assert data.format == "summedits"
    assert [e.id for e in data.examples] == ["s1", "s2", "s3", "s4"]
    assert [e.label for e in data.examples] == [
        "supported",
        "not supported",
        "supported",
        "not supported",
    ]
    assert [e.split for e in data.examples] == ["evaluation", "test", "test", "test"]
    assert data.examples[1].claim.startswith("The budget sets aside 90")


def test_qags_gives_one_example_per_summary_sentence_labelled_by_majority():
    data = load_dataset(FIXTURES / "qags_small.jsonl")
    assert data.format == "qags"
    assert [(e.id, e.label) for e in data.examples] == [
        ("1-0", "supported"),
        ("1-1", "not supported"),
    ]
    assert data.examples[0].document.startswith("The city council")


def test_fever_maps_refutes_and_not_enough_info_to_not_supported():
    data = load_dataset(FIXTURES / "fever_small.jsonl")
    assert data.format == "fever"
    assert [e.label for e in data.examples] == ["supported", "not supported", "not supported"]
    assert data.examples[0].document == "The city council approved the new budget on Tuesday."


def test_cluster_spans_are_read_with_their_sources():
    data = load_dataset(FIXTURES / "cluster_small.jsonl")
    assert data.format == "cluster"
    (cluster,) = data.examples
    assert [a for a, _ in cluster.articles] == ["a", "b"]
    assert [s.status for s in cluster.spans][:3] == ["discrepancy", "agreement", "unsupported"]
    text = dict(cluster.articles)["a"]
    first = cluster.spans[0]
    assert text[first.start : first.end].startswith("The company hired 300")


@pytest.mark.parametrize(
    ("name", "where", "why"),
    [
        ("summedits_bad.json", "item 2", "label must be 0 or 1"),
        ("qags_bad.jsonl", "line 2", "responses must be 'yes' or 'no'"),
        ("fever_bad.jsonl", "line 2", "invalid JSON"),
        ("cluster_bad.jsonl", "line 1", "quote does not match"),
    ],
)
def test_a_malformed_row_stops_the_load_naming_its_line(name, where, why):
    with pytest.raises(FactcheckError) as info:
        load_dataset(FIXTURES / name)
    assert f"{where}: " in str(info.value)
    assert why in str(info.value)
    assert "--skip-bad" in str(info.value)


def test_skip_bad_keeps_the_good_rows_and_reports_the_bad_ones():
    data = load_dataset(FIXTURES / "fever_bad.jsonl", skip_bad=True)
    assert [e.id for e in data.examples] == ["f1", "f3"]
    assert len(data.skipped) == 1
    assert "line 2" in data.skipped[0]


def test_unknown_format_and_missing_file_are_one_line_errors(tmp_path):
    odd = tmp_path / "odd.jsonl"
    odd.write_text('{"question": "?"}\n')
    with pytest.raises(FactcheckError, match="unknown dataset format"):
        load_dataset(odd)
    with pytest.raises(FactcheckError, match="no such dataset file"):
        load_dataset(tmp_path / "missing.jsonl")
