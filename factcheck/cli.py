"""The `factcheck` command."""

from __future__ import annotations

import os
import sys
import tempfile
import webbrowser
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from factcheck.errors import FactcheckError
from factcheck.redact import shown

app = typer.Typer(
    help="Compare news articles about one event: agreements, discrepancies, unsupported additions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stderr = Console(stderr=True)


class Format(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


@app.callback()
def main() -> None:
    """factcheck: where sources agree, where they differ, and what only one of them says."""


def say(message: str) -> None:
    """A line on stderr built from outside text: secrets redacted, markup and escapes inert."""
    stderr.print(escape(shown(message)), highlight=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> None:
    stderr.print(f"[bold red]error:[/] {escape(shown(message))}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def user_errors():
    """Turn every expected failure into one line and a non-zero exit; a traceback only with FACTCHECK_DEBUG."""
    try:
        yield
    except FactcheckError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("interrupted; nothing was written", 130)
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        if os.environ.get("FACTCHECK_DEBUG"):
            raise
        fail(f"unexpected {type(exc).__name__}: {exc} (set FACTCHECK_DEBUG=1 for the traceback)", 1)


def check_out(path: Path) -> Path:
    """Refuse an --out that cannot be written before any work starts; returns the expanded path."""
    path = path.expanduser()
    if path.is_dir():
        raise FactcheckError(f"--out {path}: is a directory; give a file name")
    folder = path.parent
    if not folder.exists():
        raise FactcheckError(f"--out {path}: folder {folder} does not exist")
    if not folder.is_dir():
        raise FactcheckError(f"--out {path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise FactcheckError(f"--out {path}: folder {folder} is not writable; choose another")
    if path.exists() and not os.access(path, os.W_OK):
        raise FactcheckError(f"--out {path}: the file is not writable; choose another name")
    return path


def write_atomically(path: Path, content: str) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written report."""
    path = check_out(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def temporary_html() -> Path:
    """A fresh, kept file for `--open` without `--out`: the browser reads it after we exit."""
    fd, name = tempfile.mkstemp(prefix="factcheck-report-", suffix=".html")
    os.close(fd)
    return Path(name)


@contextmanager
def progress_display(enabled: bool):
    """A progress bar on stderr while work runs (only on a terminal); yields the callback."""
    if not enabled:
        yield lambda step, done, total: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    ) as bar:
        task = bar.add_task("reading sources", total=None)

        def update(step: str, done: int, total: int) -> None:
            bar.update(task, description=escape(shown(step)), completed=done, total=total)

        yield update


# Options that several commands share, declared once.
EngineOption = Annotated[
    str | None,
    typer.Option(
        help="local (offline, the bundled entailment judge), local-rules, llm, or an engine a plugin registers (default: llm when OPENAI_API_KEY is set, else local)."
    ),
]
ModelOption = Annotated[str | None, typer.Option(envvar="FACTCHECK_MODEL", help="LLM model name.")]
BaseUrlOption = Annotated[
    str | None, typer.Option(envvar="OPENAI_BASE_URL", help="OpenAI-compatible API URL.")
]
StoreOption = Annotated[Path | None, typer.Option(help="Folder of the embedded Chroma store.")]


@app.command()
def compare(
    sources: Annotated[list[str], typer.Argument(help="Files, http(s) URLs, or - for stdin.")],
    format: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="Output format (default: text, or html with --open)."),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the report here.")] = None,
    open_: Annotated[
        bool,
        typer.Option(
            "--open", help="Open the HTML report in the browser (--out, or else a temporary file)."
        ),
    ] = False,
    engine: EngineOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    store: StoreOption = None,
    chroma_host: Annotated[
        str | None, typer.Option(help="Use a Chroma server at this host.")
    ] = None,
    chroma_port: Annotated[int, typer.Option(help="Port of the Chroma server.")] = 8000,
    embeddings: Annotated[
        str | None,
        typer.Option(
            envvar="FACTCHECK_EMBEDDINGS",
            help="local (bundled MiniLM, default), openai, or openai:MODEL.",
        ),
    ] = None,
    summary_length: Annotated[
        int | None,
        typer.Option(
            min=10,
            help="Word limit of the neutral summary (default: 40 + 25 per source, 115 for three).",
        ),
    ] = None,
) -> None:
    """Compare two or more articles about the same event, claim by claim."""
    with user_errors():
        from factcheck.api import compare_with_articles
        from factcheck.render import RENDERERS
        from factcheck.render.html import render_html
        from factcheck.render.terminal import render_text

        if sources.count("-") > 1:
            raise FactcheckError("stdin (-) can be given only once")
        format = format or (Format.html if open_ else Format.text)
        if open_ and format is not Format.html:
            raise FactcheckError(
                f"--open shows the HTML report; it cannot be used with --format {format.value}"
            )
        if out is not None:
            out = check_out(out)
        with progress_display(sys.stderr.isatty()) as progress:
            report, articles = compare_with_articles(
                sources,
                engine=engine,
                model=model,
                base_url=base_url,
                store=store,
                chroma_host=chroma_host,
                chroma_port=chroma_port if chroma_host else None,
                embeddings=embeddings,
                summary_words=summary_length,
                progress=progress,
            )
        if format is Format.text:
            content = render_text(report, color=out is None and sys.stdout.isatty())
        elif format is Format.html:
            content = render_html(report, articles)
        else:
            content = RENDERERS[format.value](report)
        if out is None and open_:
            out = temporary_html()
        if out is None:
            sys.stdout.write(content)
        else:
            write_atomically(out, content)
            say(f"wrote {out}")
        if open_ and out is not None:
            webbrowser.open(out.expanduser().resolve().as_uri())


@app.command()
def slack(
    port: Annotated[int, typer.Option(help="HTTP mode: port of /slack/events.")] = 3000,
    store: StoreOption = None,
) -> None:
    """Run the Slack bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on /slack/events."""
    with user_errors():
        try:
            from factcheck.slack import Settings, serve
        except ImportError as exc:
            if not (exc.name or "").startswith("slack"):
                raise
            raise FactcheckError(
                'the Slack bot needs slack-bolt: pip install "factcheck[slack]"'
            ) from None
        serve(Settings.from_env(os.environ), port=port, store=store)


class EvalFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command(name="eval")
def evaluate(
    datasets: Annotated[
        list[Path],
        typer.Argument(
            help="Dataset files (SummEdits, QAGS, FEVER, cluster JSONL, NeuS summaries)."
        ),
    ],
    engine: EngineOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Examples checked at once.")] = 1,
    limit: Annotated[
        int | None,
        typer.Option(
            min=1, help="Check a random sample of this many examples, stratified by label."
        ),
    ] = None,
    split: Annotated[
        str | None, typer.Option(help="Only examples of this split (e.g. test).")
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(help="Seed of the --limit sample (default 0), or shuffle with it."),
    ] = None,
    skip_bad: Annotated[
        bool, typer.Option(help="Skip malformed rows instead of stopping.")
    ] = False,
    format: Annotated[
        EvalFormat, typer.Option("--format", "-f", help="Output format.")
    ] = EvalFormat.text,
    results: Annotated[
        Path | None,
        typer.Option(
            help="Folder for the result files (default: the user data dir, factcheck/eval-results)."
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            help="File name stem of the results (default: dataset, sample, engine, date)."
        ),
    ] = None,
    save: Annotated[bool, typer.Option(help="Write the results files.")] = True,
    fresh: Annotated[
        bool, typer.Option(help="Ignore cached results and recompute every example.")
    ] = False,
    cache_dir: Annotated[
        Path | None, typer.Option(help="Per-example results cache (default: user cache dir).")
    ] = None,
    store: StoreOption = None,
    fail_under: Annotated[
        float | None,
        typer.Option(
            min=0, max=100, help="Exit 1 if any dataset's balanced accuracy (%) is below this."
        ),
    ] = None,
) -> None:
    """Score an engine on labelled datasets: balanced accuracy, per-label P/R/F1, confusion, latency.

    Writes JSON, Markdown, a chart and a per-example JSONL per dataset; never over an earlier run.
    """
    with user_errors():
        from factcheck.evaluation.cli import check_fail_under, run_datasets
        from factcheck.evaluation.results import default_results_dir

        runs = run_datasets(
            datasets,
            engine=engine,
            model=model,
            base_url=base_url,
            concurrency=concurrency,
            limit=limit,
            split=split,
            seed=seed,
            skip_bad=skip_bad,
            format=format.value,
            results=(results or default_results_dir()) if save else None,
            fresh=fresh,
            cache_dir=cache_dir,
            store=store,
            console=stderr,
            name=name,
        )
        if below := check_fail_under(runs, fail_under):
            fail(f"balanced accuracy below --fail-under {fail_under:g}: {', '.join(below)}", 1)


if __name__ == "__main__":
    app()
