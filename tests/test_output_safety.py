"""What reaches a terminal, a Markdown file or an HTML page: no escape sequences, no markup surprises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck import article_from_text, compare_with_articles
from factcheck.engines.fake import MemoryStore, fake_engine
from factcheck.redact import printable, redact
from factcheck.render.html import render_html
from factcheck.render.markdown import render_markdown
from factcheck.render.terminal import render_text
from tests.helpers import run_cli

# A window-title change, a screen clear, an OSC 8 hyperlink and a right-to-left override.
HOSTILE = (
    "The council approved the bridge on Friday.\x1b]0;pwned\x07 "
    "Officials said 12 people attended.\x1b[2J\x1b[H The mayor "
    "\x1b]8;;https://evil.example\x1b\\spoke\x1b]8;;\x1b\\ at noon. "
    "Residents paid \u202e0051$\u202c for tickets."
)
OTHER = "The council approved the bridge on Friday, officials said, and 12 people attended."
UNSAFE = ("\x1b", "\x07", "\u202e", "\u202c")


@pytest.fixture(scope="module")
def compared():
    return compare_with_articles(
        [article_from_text(HOSTILE, "hostile"), article_from_text(OTHER, "other")],
        engine=fake_engine(),
        store=MemoryStore(),
    )


def test_printable_keeps_length_and_offsets() -> None:
    cleaned = printable(HOSTILE)
    assert len(cleaned) == len(HOSTILE)
    assert not any(ch in cleaned for ch in UNSAFE)
    assert printable("\n\t") == "\n\t"


@pytest.mark.parametrize("render", ["text", "markdown", "html"])
def test_article_escapes_never_reach_the_output(compared, render: str) -> None:
    report, articles = compared
    output = {
        "text": lambda: render_text(report, color=True),
        "markdown": lambda: render_markdown(report),
        "html": lambda: render_html(report, articles),
    }[render]()
    assert "pwned" in output  # the text stays, inert
    for unsafe in ("\x1b]", "\x1b[2J", "\x07", "\u202e"):
        assert unsafe not in output


def test_rich_markup_in_paths_is_printed_literally(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(OTHER)
    for name in ("a[/]b.txt", "[bold]x[/bold].txt"):
        result = run_cli("compare", str(good), str(tmp_path / name))
        assert result.exit_code == 2, result.output
        assert result.output.count("\n") == 1 and "Traceback" not in result.output
        assert name in result.output


@pytest.mark.parametrize(
    "url",
    ["http://exa mple.com/a", "http://example.com:99999/a", "http://xn--a.com/", "http://[::1/"],
)
def test_malformed_urls_exit_2(tmp_path: Path, url: str) -> None:
    good = tmp_path / "good.txt"
    good.write_text(OTHER)
    result = run_cli("compare", str(good), url)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error:") and "unexpected" not in result.output


def test_unwritable_out_refused_before_any_work(tmp_path: Path, monkeypatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    real_access = os.access
    # root ignores permission bits; the check must still ask the OS, which is what it sees here
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != locked and real_access(p, mode))
    result = run_cli("compare", "missing-a.txt", "missing-b.txt", "--out", str(locked / "r.json"))
    assert result.exit_code == 2
    assert "not writable" in result.output  # found before the sources were read


def test_out_in_a_missing_folder_refused_before_any_work(tmp_path: Path) -> None:
    result = run_cli(
        "compare", "missing-a.txt", "missing-b.txt", "--out", str(tmp_path / "no/r.json")
    )
    assert result.exit_code == 2 and "does not exist" in result.output


@pytest.mark.parametrize(
    ("secret", "leak"),
    [
        ("Authorization: Bearer sk-abc123def456ghi789", "sk-abc123"),
        ("https://alice:hunter22@llm.example/v1", "hunter22"),
        ("token xoxb-1234-5678-abcdefgh", "xoxb-1234"),
        ("api_key=abcdef123456&x=1", "abcdef123456"),
        ('{"api_key": "abcdef123456"}', "abcdef123456"),
    ],
)
def test_redact_removes_secret_shapes(secret: str, leak: str) -> None:
    assert leak not in redact(f"error: {secret} was refused")


def test_redact_removes_known_secret_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "plainvalue-no-prefix-42")
    assert "plainvalue" not in redact("server said: key plainvalue-no-prefix-42 is invalid")


def test_no_telemetry_written(tmp_path: Path) -> None:
    """Embedding a sentence leaves nothing under the user's cache dir but what factcheck writes."""
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("ORT_DISABLE_TELEMETRY", None)
    code = "from factcheck.embeddings import default_embeddings; default_embeddings().embed_query('hi')"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    assert not (tmp_path / "cache" / "Microsoft").exists()
    assert not (tmp_path / ".cache").exists()


def test_redaction_stays_linear_on_long_unbroken_text() -> None:
    """A quadratic pattern would take hours on a 1 MB log line; linear takes well under a second."""
    import time

    started = time.perf_counter()
    redact("ABC-DEF-" * 125_000)
    assert time.perf_counter() - started < 10
