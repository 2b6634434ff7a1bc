"""The `factcheck` command."""

from __future__ import annotations

import os
import re
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
    rich_markup_mode=None,  # plain help: no boxes, no "<bool>" beside flags
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="""\b
Examples:
  factcheck compare examples/witkoff_report_a.txt examples/witkoff_report_b.txt
  factcheck compare a.html https://example.com/story -o report.html
  factcheck eval summedits_news.json --split test --limit 200
  factcheck slack              (needs SLACK_BOT_TOKEN; see factcheck slack -h)""",
)
stderr = Console(stderr=True)


def show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"factcheck {version('factcheck')}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=show_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
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
    """--out written in one step, after the checks: never a half-written report."""
    from factcheck import files

    files.write_atomically(check_out(path), content)


def announce_engine(engine: str | None, model: str | None) -> None:
    """Say on stderr when the LLM engine was chosen for the user: their articles leave the machine."""
    if engine is None and os.environ.get("OPENAI_API_KEY"):
        from factcheck.engines.llm import DEFAULT_MODEL

        chosen = model or os.environ.get("FACTCHECK_MODEL") or DEFAULT_MODEL
        say(f"engine: llm {chosen}, because OPENAI_API_KEY is set; --engine local to stay offline")


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
        "--engine",
        "-e",
        metavar="[local|local-rules|llm|PLUGIN]",
        help="local: offline, the bundled entailment judge; local-rules: value rules only; llm: "
        "an OpenAI-compatible model; or an engine a plugin registers. Default: llm when "
        "OPENAI_API_KEY is set, else local.",
    ),
]
ModelOption = Annotated[
    str | None, typer.Option("--model", "-m", envvar="FACTCHECK_MODEL", help="LLM model name.")
]
BaseUrlOption = Annotated[
    str | None, typer.Option(envvar="OPENAI_BASE_URL", help="OpenAI-compatible API URL.")
]
EmbeddingsOption = Annotated[
    str | None,
    typer.Option(
        envvar="FACTCHECK_EMBEDDINGS",
        help="local (bundled MiniLM, default), openai, or openai:MODEL.",
    ),
]
StoreOption = Annotated[Path | None, typer.Option(help="Folder of the embedded Chroma store.")]


def output_format(format: str | None, out: Path | None, open_: bool) -> str:
    """The format asked for: --format; else html for --open; else the one --out's suffix names; else text.

    An --out suffix no format claims (report.pdf) is an error rather than a text file with that name.
    """
    from factcheck.render import renderers

    registry = renderers()
    if format is not None:
        name = registry.get(format).name  # an unknown name: one line listing the formats
        if open_ and name != "html":
            raise FactcheckError(
                f"--open shows the HTML report; it cannot be used with --format {name}"
            )
        return name
    if open_:
        return "html"
    if out is None or not out.suffix:
        return "text"
    chosen = registry.for_suffix(out.suffix)
    if chosen is None:
        raise FactcheckError(
            f"--out {out.name}: no format writes {out.suffix} files; add --format "
            f"({', '.join(registry.names())})"
        )
    return chosen.name


@app.command(
    epilog="""\b
Examples:
  factcheck compare a.txt b.html https://example.com/story
  factcheck compare a.txt b.txt -o report.html        (format from the suffix)
  factcheck compare a.txt b.txt -f json -o report.json
  cat a.txt | factcheck compare - b.txt
  factcheck compare a.txt b.txt -e local               (stay offline)"""
)
def compare(
    sources: Annotated[list[str], typer.Argument(help="Files, http(s) URLs, or - for stdin.")],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="[text|json|markdown|html|slack|brief|PLUGIN]",
            help="Output format, or one a plugin registers. Default: the one --out's suffix names "
            "(.html, .json, .md, .txt), else text; html with --open.",
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the report here.")] = None,
    open_: Annotated[
        bool,
        typer.Option(
            "--open", help="Open the HTML report in the browser (--out, or else a temporary file)."
        ),
    ] = False,
    show: Annotated[
        str | None,
        typer.Option(
            "--show",
            metavar="[all|discrepancies|unsupported|agreements]",
            help="What the terminal view lists. Default: a short view (every discrepancy, the top "
            "unsupported additions, and what was left out); all: every claim.",
        ),
    ] = None,
    engine: EngineOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    store: StoreOption = None,
    chroma_host: Annotated[
        str | None, typer.Option(help="Use a Chroma server at this host.")
    ] = None,
    chroma_port: Annotated[int, typer.Option(help="Port of the Chroma server.")] = 8000,
    embeddings: EmbeddingsOption = None,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="Recompute even if these articles were compared before with the same options "
            "and code (the report is otherwise read back from the store's folder).",
        ),
    ] = False,
    summary_length: Annotated[
        int | None,
        typer.Option(
            min=10,
            help="Word limit of the neutral summary (default: 40 + 25 per source, 115 for three).",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="CODE",
            help="The sources' language (ISO 639-1: en, fr...) instead of the detected one; the "
            "local engine reads English only, so --lang en makes it compare a text it refused.",
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            envvar="FACTCHECK_LLM_TIMEOUT",
            metavar="SECONDS",
            min=0.1,
            help="LLM engine: the deadline of one call, retries included (default 300).",
        ),
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency",
            envvar="FACTCHECK_LLM_CONCURRENCY",
            metavar="N",
            min=1,
            max=64,
            help="LLM engine: calls at once (default 4).",
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="LLM engine: neither read nor write the answer cache, and recompute the report "
            "(see factcheck cache clear).",
        ),
    ] = False,
) -> None:
    """Compare two or more articles about the same event, claim by claim."""
    with user_errors():
        from factcheck.render import RenderOptions, renderers
        from factcheck.render.terminal import SHORT, check_show

        if sources.count("-") > 1:
            raise FactcheckError("stdin (-) can be given only once")
        if lang is not None and not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z]{2,4})?", lang):
            raise FactcheckError(f"--lang {lang}: give a language code such as en, fr or pt-BR")
        renderer = renderers().get(output_format(format, out, open_))
        if show is not None and renderer.name != "text":
            raise FactcheckError(
                f"--show chooses what the terminal view (text) lists; not for {renderer.name} output"
            )
        options = RenderOptions(
            color=out is None and sys.stdout.isatty(), show=check_show(show or SHORT)
        )
        if out is not None:
            out = check_out(out)
        with progress_display(sys.stderr.isatty()) as progress:
            from factcheck.ingest import load_articles

            # Sources first: a bad one is reported before LangChain, Chroma and the models load.
            loaded = load_articles(sources)
            if lang is not None:  # the user's word over the detector's
                loaded = [a.model_copy(update={"language": lang.lower()}) for a in loaded]
            announce_engine(engine, model)
            from factcheck.api import compare_with_articles

            comparison = compare_with_articles(
                loaded,
                engine=engine,
                model=model,
                base_url=base_url,
                store=store,
                chroma_host=chroma_host,
                chroma_port=chroma_port if chroma_host else None,
                embeddings=embeddings,
                summary_words=summary_length,
                progress=progress,
                reuse=not (fresh or no_cache),
                llm_timeout=timeout,
                llm_concurrency=concurrency,
                llm_cache=not no_cache,
            )
        content = renderer.render(comparison, options)
        if out is not None or renderer.name != "text":  # the terminal view shows them itself
            for warning in comparison.report.warnings:
                say(f"warning: {warning}")
        if out is None and open_:
            out = temporary_html()
        if out is None:
            sys.stdout.write(content)
        else:
            write_atomically(out, content)
            say(f"wrote {out}")
        if open_ and out is not None:
            webbrowser.open(out.expanduser().resolve().as_uri())


@app.command(
    epilog="""\b
Examples:
  factcheck extract page.html                     (metadata, language, the article text)
  factcheck extract https://example.com/story --dropped
  factcheck extract a.txt b.html -f json --claims"""
)
def extract(
    sources: Annotated[list[str], typer.Argument(help="Files, http(s) URLs, or - for stdin.")],
    format: Annotated[
        str, typer.Option("--format", "-f", metavar="[text|json]", help="Output format.")
    ] = "text",
    dropped: Annotated[
        bool,
        typer.Option(
            "--dropped",
            "--furniture",
            help="Also list what was left out of the article (lines and parts of lines) and why.",
        ),
    ] = False,
    claims: Annotated[
        bool, typer.Option("--claims", help="Also list the local engine's claims of each source.")
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", metavar="CODE", help="The sources' language instead of the detected one."
        ),
    ] = None,
) -> None:
    """Show what factcheck reads from each source: metadata, language, the article text."""
    with user_errors():
        if format not in ("text", "json"):
            raise FactcheckError(f"unknown format --format {format!r}; choose text or json")
        if sources.count("-") > 1:
            raise FactcheckError("stdin (-) can be given only once")
        from factcheck.ingest import load_article, with_language
        from factcheck.reading.show import render_extract

        articles = [load_article(source) for source in sources]
        articles = [
            a.model_copy(update={"language": lang.lower()}) if lang else with_language(a)
            for a in articles
        ]
        sys.stdout.write(render_extract(articles, format, dropped=dropped, claims=claims))


@app.command()
def slack(
    port: Annotated[int, typer.Option(help="HTTP mode: port of /slack/events.")] = 3000,
    host: Annotated[
        str | None,
        typer.Option(
            help="HTTP mode: address to listen on (default FACTCHECK_SLACK_HOST, else 0.0.0.0: "
            "every interface)."
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Run the Slack bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on /slack/events.

    Needs SLACK_BOT_TOKEN, and SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode).
    """
    with user_errors():
        try:
            from factcheck.slack import Settings, serve
        except ImportError as exc:
            if not (exc.name or "").startswith("slack"):
                raise
            raise FactcheckError(
                'the Slack bot needs slack-bolt: pip install "factcheck[slack]"'
            ) from None
        serve(Settings.from_env(os.environ), host=host, port=port, store=store)


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
    executor: Annotated[
        str | None,
        typer.Option(
            envvar="FACTCHECK_EXECUTOR",
            metavar="[local|ray]",
            help="Check examples in worker processes (local) or on a Ray cluster (ray) instead "
            "of threads; the results are the same.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, envvar="FACTCHECK_WORKERS", help="Workers of --executor."),
    ] = None,
    ray_address: Annotated[
        str | None,
        typer.Option(envvar="FACTCHECK_RAY_ADDRESS", help="Ray cluster of --executor ray."),
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
            executor=executor,
            workers=workers,
            ray_address=ray_address,
        )
        if below := check_fail_under(runs, fail_under):
            fail(f"balanced accuracy below --fail-under {fail_under:g}: {', '.join(below)}", 1)


@app.command(
    epilog="""\b
Examples:
  factcheck batch clusters.jsonl --out reports/
  factcheck batch clusters.jsonl -o reports/ -f markdown -f html --workers 4
  factcheck batch clusters.jsonl -o reports/ --executor ray --ray-address auto \\
      --chroma-host chroma.internal --chroma-port 8000"""
)
def batch(
    clusters: Annotated[
        Path, typer.Argument(help="Cluster JSONL (eval/README.md); gold spans are optional.")
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the reports (created if missing).")
    ],
    format: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="[markdown|html|text|slack|brief|PLUGIN]",
            help="Also write this format per cluster (repeatable); the JSON report always is.",
        ),
    ] = None,
    engine: EngineOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    embeddings: EmbeddingsOption = None,
    summary_length: Annotated[
        int | None, typer.Option(min=10, help="Word limit of each neutral summary.")
    ] = None,
    executor: Annotated[
        str,
        typer.Option(
            metavar="[local|ray]",
            help="local: worker processes on this machine; ray: actors on a Ray cluster "
            '(pip install "factcheck[ray]").',
        ),
    ] = "local",
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, help="Workers (default: every CPU of this machine, or of the Ray cluster)."
        ),
    ] = None,
    ray_address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster to join (auto, or ray://HOST:10001; else RAY_ADDRESS); "
            "default: a local Ray instance.",
        ),
    ] = None,
    chroma_host: Annotated[
        str | None,
        typer.Option(help="A Chroma server shared by all workers (default: one store per worker)."),
    ] = None,
    chroma_port: Annotated[int, typer.Option(help="Port of the Chroma server.")] = 8000,
    store: Annotated[
        Path | None,
        typer.Option(help="Folder for the per-worker embedded stores (default: user cache dir)."),
    ] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Recompute clusters already done in --out.")
    ] = False,
) -> None:
    """Check many clusters of articles: one report per cluster in --out, resumable, with a summary.

    A cluster whose report exists (same articles, options and code) is skipped; one that fails is
    an error row and the rest go on. Exits 1 when any cluster failed.
    """
    with user_errors():
        from rich.progress import MofNCompleteColumn

        from factcheck.batch import BatchOptions, run_batch
        from factcheck.batch.runner import print_summary

        options = BatchOptions(
            out=out,
            formats=tuple(format or ()),
            engine=engine,
            model=model,
            base_url=base_url,
            embeddings=embeddings,
            summary_words=summary_length,
            executor=executor,
            workers=workers,
            ray_address=ray_address,
            chroma_host=chroma_host,
            chroma_port=chroma_port,
            store=store,
            fresh=fresh,
        )
        announce_engine(engine, model)
        with Progress(
            TextColumn("clusters"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=stderr,
            transient=True,
            disable=not stderr.is_terminal,
        ) as bar:
            task = bar.add_task("", total=None)
            errors = 0

            def progress(row: dict | None, done: int, total: int) -> None:
                nonlocal errors
                errors += bool(row and row["status"] != "ok")
                bar.update(task, completed=done, total=total, description=f"{errors} errors")

            try:
                result = run_batch(clusters, options, progress)
            except KeyboardInterrupt:
                fail(
                    f"interrupted; the clusters finished so far are kept in {out}: run the same "
                    "command again to do the rest",
                    130,
                )
        print_summary(result, Console())
        say(f"wrote the reports and {', '.join(str(p) for p in result.files)}")
        if result.errors:
            fail(f"{result.errors} of {len(result.rows)} clusters failed (error rows above)", 1)


cache_app = typer.Typer(
    help="The LLM engine's answer cache.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(cache_app, name="cache")


@cache_app.command("clear")
def cache_clear() -> None:
    """Forget every cached LLM answer and the output method remembered for each server."""
    with user_errors():
        from factcheck.engines.llm.cache import clear_cache

        removed, path = clear_cache()
        say(f"cleared {removed} cached LLM answers ({path})")


def run() -> None:
    """The console script: click's usage errors become one `error:` line too, with exit code 2."""
    try:  # typer 0.25+ vendors click; older typers use click itself
        from typer._click.exceptions import NoArgsIsHelpError, UsageError
    except ImportError:
        from click.exceptions import NoArgsIsHelpError, UsageError

    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError as exc:  # a bare `factcheck` or `factcheck compare`: the help
        print(exc.ctx.get_help() if exc.ctx else exc.format_message())
        sys.exit(0 if exc.ctx and exc.ctx.parent is None else 2)
    except UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} -h')" if exc.ctx else ""
        stderr.print(
            f"[bold red]error:[/] {escape(exc.format_message())}{escape(hint)}",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(2)
    except typer.Abort:
        stderr.print("[bold red]error:[/] interrupted; nothing was written", highlight=False)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    run()
