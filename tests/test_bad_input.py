"""Every bad input gets one line that says what is wrong, a non-zero exit, no traceback, nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli, serve

GOOD = "The council approved the new budget on Monday, officials said.\n"


@pytest.fixture()
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[0].startswith("error:"), result.output
    assert "Traceback" not in result.output
    message = " ".join(lines).lower()
    for fragment in fragments:
        assert fragment.lower() in message, message


def test_missing_file(good: Path) -> None:
    assert_one_line_error(run_cli("compare", str(good), "no/such/file.txt"), "no such file")


@pytest.mark.parametrize("content", ["", "   \n\t\n  "])
def test_empty_or_whitespace_file(tmp_path: Path, good: Path, content: str) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text(content, encoding="utf-8")
    assert_one_line_error(run_cli("compare", str(good), str(empty)), "is empty")


def test_binary_file(tmp_path: Path, good: Path) -> None:
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    assert_one_line_error(run_cli("compare", str(good), str(binary)), "PDF", "not text")


def test_not_utf8(tmp_path: Path, good: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Le conseil a approuvé le budget lundi.".encode("latin-1"))
    assert_one_line_error(run_cli("compare", str(good), str(latin)), "not valid UTF-8", "iconv")


def test_one_source_only(good: Path) -> None:
    assert_one_line_error(run_cli("compare", str(good)), "two or more sources")


def test_same_article_twice(tmp_path: Path, good: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text(GOOD, encoding="utf-8")
    assert_one_line_error(run_cli("compare", str(good), str(copy)), "same article")


def test_five_megabyte_article(tmp_path: Path, good: Path) -> None:
    huge = tmp_path / "huge.txt"
    huge.write_text(("The council met again today. " * 180_000), encoding="utf-8")
    assert huge.stat().st_size > 5_000_000
    assert_one_line_error(run_cli("compare", str(good), str(huge)), "one article")


def test_unreachable_url(good: Path) -> None:
    with serve({}) as base:
        closed = base  # the server stops when the block ends: nothing listens afterwards
    assert_one_line_error(run_cli("compare", str(good), f"{closed}/story"), "cannot fetch")


def test_non_html_url(good: Path) -> None:
    with serve({"/photo.png": (200, "image/png", b"\x89PNG\r\n")}) as base:
        result = run_cli("compare", str(good), f"{base}/photo.png")
    assert_one_line_error(result, "image/png", "not an HTML or text article")


def test_http_error_url(good: Path) -> None:
    with serve({}) as base:
        result = run_cli("compare", str(good), f"{base}/missing")
    assert_one_line_error(result, "HTTP 404")


def test_failed_run_leaves_no_output_file(tmp_path: Path, good: Path) -> None:
    out = tmp_path / "report.json"
    result = run_cli(
        "compare", str(good), str(tmp_path / "missing.txt"), "--format", "json", "--out", str(out)
    )
    assert result.exit_code == 2
    assert not out.exists()
    assert list(tmp_path.glob(".report.json.*")) == []
