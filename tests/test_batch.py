"""`factcheck batch`: one report per cluster, the same whatever the executor and the number of
workers, nothing lost when a worker dies, resumable, bad clusters as error rows; eval on the same
executors. The executor's own behaviour is tested with a toy task (no models); the rest runs the
real local engine on small clusters."""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from factcheck.batch import BatchOptions, make_executor, read_clusters, run_batch
from factcheck.batch.executors import MAX_ATTEMPTS, LocalExecutor, WorkerSetupError
from factcheck.batch.worker import KILL_ENV, KILL_MARKER_ENV
from factcheck.errors import FactcheckError
from tests.helpers import run_cli

FIXTURES = Path(__file__).parent / "fixtures"

CLUSTERS = [
    {
        "id": "c1",
        "articles": [
            {
                "id": "a",
                "text": "The company hired 300 workers at its Ohio plant on Monday. The governor "
                "opened the new bridge over the river on Friday. The bridge cost 12 million "
                "dollars to build.",
            },
            {
                "id": "b",
                "text": "The company hired 500 workers at its Ohio plant on Monday. On Friday the "
                "governor opened the new bridge over the river.",
            },
        ],
        "spans": [
            {"source": "a", "start": 0, "end": 58, "status": "discrepancy"},
            {"source": "a", "start": 59, "end": 119, "status": "agreement"},
        ],
    },
    {
        "id": "c2",
        "articles": [
            {
                "id": "wire",
                "text": "The bridge will reopen on Monday after six weeks of repairs, the city said.",
            },
            {
                "id": "paper",
                "text": "City officials said the bridge reopens Monday; repairs took six weeks.",
            },
        ],
    },
    {
        "id": "fire",
        "articles": [
            {
                "id": "a",
                "text": "A fire broke out at a warehouse on Elm Street on Tuesday night. Two "
                "firefighters were injured. The cause is under investigation.",
            },
            {
                "id": "b",
                "text": "Fire destroyed a warehouse on Elm Street on Wednesday night, officials "
                "said. Three firefighters were hurt.",
            },
            {
                "id": "c",
                "text": "Two firefighters were injured when a warehouse on Elm Street burned on "
                "Tuesday night. Investigators are looking for the cause.",
            },
        ],
    },
    {
        "id": "story/4 ü",  # not a safe file name: a slug plus a digest
        "articles": [
            {
                "id": "a",
                "text": "Turnout in the city election reached 41 percent, the highest in a decade.",
            },
            {
                "id": "b",
                "text": "About 41 percent of voters cast a ballot in the city election, officials said.",
            },
        ],
    },
]


def write_clusters(path: Path, clusters: list[dict] = CLUSTERS, extra: str = "") -> Path:
    path.write_text("".join(json.dumps(c) + "\n" for c in clusters) + extra, encoding="utf-8")
    return path


def reports(out: Path) -> dict[str, dict]:
    """Every report in a batch folder, without the one field that varies (its wall time)."""
    found = {}
    for path in sorted(out.glob("*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        if path.name.startswith("_") or path.name.endswith(".slack.json"):
            continue
        report["stats"].pop("seconds")
        found[path.name] = report
    return found


def local(tmp: Path, out: str, workers: int, **options) -> BatchOptions:
    return BatchOptions(
        out=tmp / out, executor="local", workers=workers, store=tmp / "stores", **options
    )


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    """The reference: every cluster with one local worker process."""
    tmp = tmp_path_factory.mktemp("batch-clean")
    data = write_clusters(tmp / "clusters.jsonl")
    run = run_batch(data, local(tmp, "out", 1, formats=("markdown",)))
    assert [r["status"] for r in run.rows] == ["ok"] * len(CLUSTERS)
    return data, reports(tmp / "out")


# --- the executor, with a toy task -----------------------------------------------------------


@dataclass(frozen=True)
class Toy:
    """Squares numbers; item -1 kills its worker every time; a `folder` records who started what."""

    folder: str = ""
    pause: float = 0.0
    fail_open: bool = False
    raise_on: int | None = None

    def open(self) -> str:
        if self.fail_open:
            raise FactcheckError("no engine here")
        return "state"

    def run(self, state: str, item: int) -> int:
        if self.folder:
            Path(self.folder, f"started-{item}-{os.getpid()}").write_text(str(os.getpid()))
        if item == -1:
            os.kill(os.getpid(), signal.SIGKILL)
        if item == self.raise_on:
            raise ValueError(f"bad item {item}")
        time.sleep(self.pause)
        return item * item

    def failed(self, item: int, message: str) -> str:
        return f"failed: {message}"


def test_every_item_comes_back_once_whatever_the_workers() -> None:
    items = list(range(7))
    for workers in (1, 2):
        got = list(LocalExecutor(workers).map(Toy(), items))
        assert sorted(got) == [(i, i * i) for i in items]


def test_a_worker_killed_mid_item_loses_nothing(tmp_path: Path) -> None:
    items = list(range(6))
    killed: list[int] = []

    def kill_the_worker_of_item_2() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            for marker in tmp_path.glob("started-2-*"):
                pid = int(marker.read_text())
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_the_worker_of_item_2)
    killer.start()
    got = list(LocalExecutor(2).map(Toy(folder=str(tmp_path), pause=1.0), items))
    killer.join()
    assert killed, "the test did not get to kill a worker"
    assert sorted(got) == [(i, i * i) for i in items]  # each once, item 2 redone
    assert len(list(tmp_path.glob("started-2-*"))) == 2


def test_an_item_that_always_kills_its_worker_is_given_up_alone() -> None:
    got = dict(LocalExecutor(2).map(Toy(), [3, -1, 4, 5]))
    assert got[0] == 9 and got[2] == 16 and got[3] == 25
    assert got[1].startswith(f"failed: its worker process died {MAX_ATTEMPTS} times")


def test_an_exception_in_a_task_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="bad item 2"):
        list(LocalExecutor(2).map(Toy(raise_on=2), [1, 2, 3]))


def test_a_worker_that_cannot_start_stops_the_run_with_its_message() -> None:
    with pytest.raises(WorkerSetupError, match="no engine here"):
        list(LocalExecutor(1).map(Toy(fail_open=True), [1]))


def test_executor_choices_are_checked() -> None:
    with pytest.raises(FactcheckError, match="unknown executor 'dask'"):
        make_executor("dask")
    with pytest.raises(FactcheckError, match="--ray-address is for --executor ray"):
        make_executor("local", 2, "auto")
    assert make_executor("local").workers >= 1


# --- batches on the real pipeline ------------------------------------------------------------


def test_two_processes_give_the_same_reports_as_one(
    clean: tuple[Path, dict[str, dict]], tmp_path: Path
) -> None:
    data, reference = clean
    run = run_batch(data, local(tmp_path, "out", 2))
    assert run.workers == 2 and run.computed == len(CLUSTERS)
    assert reports(tmp_path / "out") == reference
    assert len(run.workers_seen) == 2
    assert all(w["peak_rss_mb"] > 50 for w in run.workers_seen)


def test_a_worker_killed_mid_run_loses_nothing(
    clean: tuple[Path, dict[str, dict]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, reference = clean
    marker = tmp_path / "killed"
    monkeypatch.setenv(KILL_ENV, "fire")  # the worker that starts "fire" is SIGKILLed, once
    monkeypatch.setenv(KILL_MARKER_ENV, str(marker))
    run = run_batch(data, local(tmp_path, "out", 2))
    assert marker.exists(), "no worker was killed"
    assert [r["status"] for r in run.rows] == ["ok"] * len(CLUSTERS)
    assert reports(tmp_path / "out") == reference


def test_a_second_run_resumes_and_an_edited_cluster_is_redone(
    clean: tuple[Path, dict[str, dict]], tmp_path: Path
) -> None:
    data, reference = clean
    options = local(tmp_path, "out", 1, formats=("markdown",))
    first = run_batch(data, options)
    assert first.computed == len(CLUSTERS)
    again = run_batch(data, options)
    assert (again.computed, again.resumed) == (0, len(CLUSTERS))
    assert [r["resumed"] for r in again.rows] == [True] * len(CLUSTERS)
    assert [r["claims"] for r in again.rows] == [r["claims"] for r in first.rows]

    edited = [dict(c) for c in CLUSTERS]
    edited[1] = {
        **edited[1],
        "articles": [
            edited[1]["articles"][0],
            {"id": "paper", "text": "City officials said the bridge reopens Tuesday."},
        ],
    }
    write_clusters(data.parent / "edited.jsonl", edited)
    (tmp_path / "out" / "fire.md").unlink()  # a missing format file is redone too
    third = run_batch(data.parent / "edited.jsonl", options)
    assert [r["resumed"] for r in third.rows] == [True, False, False, True]
    assert third.computed == 2
    assert (tmp_path / "out" / "fire.md").exists()

    fresh = run_batch(data, BatchOptions(**{**options.__dict__, "fresh": True}))
    assert fresh.computed == len(CLUSTERS)
    assert reports(tmp_path / "out") == reference


def test_bad_clusters_are_one_line_error_rows_and_the_rest_go_on(tmp_path: Path) -> None:
    good = CLUSTERS[1]
    rows = [
        good,
        {"id": "empty", "articles": [{"id": "a", "text": "   "}, good["articles"][1]]},
        {"id": "lonely", "articles": [good["articles"][0]]},
        {"id": "c2", "articles": good["articles"]},  # a repeated id
        {"id": "twice", "articles": [good["articles"][0], {**good["articles"][0], "id": "copy"}]},
    ]
    data = write_clusters(tmp_path / "bad.jsonl", rows, extra="{not json\n")
    result = run_cli("batch", str(data), "--out", str(tmp_path / "out"), "--workers", "1")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    summary = json.loads((tmp_path / "out" / "_summary.json").read_text())
    statuses = {r["id"]: (r["status"], r["error"]) for r in summary["rows"]}
    assert statuses["c2"] == ("ok", None)
    assert "is empty" in statuses["empty"][1]
    assert "at least two articles" in statuses["lonely"][1]
    assert "already used on line 1" in statuses["c2@line4"][1]
    assert "same article" in statuses["twice"][1]
    assert "invalid JSON" in statuses["line-6"][1]
    assert all("\n" not in (e or "") for _, e in statuses.values())
    assert (summary["ok"], summary["errors"]) == (1, 5)
    assert "5 of 6 clusters failed" in result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("[!_]*")) == ["c2.json"]


def test_the_command_writes_formats_a_summary_and_prints_the_table(
    clean: tuple[Path, dict[str, dict]], tmp_path: Path
) -> None:
    data, reference = clean
    out = tmp_path / "out"
    result = run_cli(
        "batch", str(data), "-o", str(out), "-f", "markdown", "-f", "slack", "-e", "local",
        "--workers", "2", "--store", str(tmp_path / "stores"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert reports(out) == reference
    names = {p.name for p in out.iterdir()}
    assert {"c1.json", "c1.md", "c1.slack.json", "fire.md", "_summary.json", "_summary.md"} <= names
    assert any(n.startswith("story-4-") and n.endswith(".md") for n in names)
    assert not any(n.startswith(".") for n in names), "a temporary file was left behind"
    table = (out / "_summary.md").read_text()
    assert (
        "| cluster | sources | claims | agreements | discrepancies | unsupported | seconds | status |"
        in table
    )
    assert "| c1 | 2 | " in table and "Gold spans: 2" in table
    assert "executor local, 2 workers" in result.output
    assert "story/4 ü" in result.output and "c1" in result.output


def test_usage_errors_are_one_line_before_any_work(tmp_path: Path, monkeypatch) -> None:
    data = write_clusters(tmp_path / "c.jsonl", CLUSTERS[:1])
    (tmp_path / "file").write_text("x")
    cases = [
        (["--out", str(tmp_path / "file")], "is a file"),
        (["--out", str(tmp_path / "o"), "-f", "pdf"], "unknown format 'pdf'"),
        (["--out", str(tmp_path / "o"), "--executor", "dask"], "unknown executor 'dask'"),
        (["--out", str(tmp_path / "o"), "--ray-address", "auto"], "--ray-address is for"),
        (["--out", str(tmp_path / "o"), "-e", "nope"], "unknown engine 'nope'"),
    ]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cases.append(
        (["--out", str(tmp_path / "o"), "--chroma-host", "127.0.0.1", "--chroma-port", str(port)],
         "cannot reach the Chroma server")
    )  # fmt: skip
    monkeypatch.setitem(__import__("sys").modules, "ray", None)  # as if Ray were not installed
    cases.append(
        (["--out", str(tmp_path / "o"), "--executor", "ray"], 'pip install "factcheck[ray]"')
    )
    for args, message in cases:
        result = run_cli("batch", str(data), *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert not (tmp_path / "o" / "c1.json").exists()
    result = run_cli("batch", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and "no such cluster file" in result.output


def test_cluster_file_names_are_safe_and_unique(tmp_path: Path) -> None:
    rows = [
        {"id": "../../etc/passwd", "articles": CLUSTERS[1]["articles"]},
        {"id": "_summary", "articles": CLUSTERS[1]["articles"]},
        {"id": "ok-1.v2", "articles": CLUSTERS[1]["articles"]},
    ]
    clusters = read_clusters(write_clusters(tmp_path / "c.jsonl", rows))
    stems = [c.stem for c in clusters]
    assert stems[0].startswith("etc-passwd-") and "/" not in stems[0]
    assert stems[1].startswith("summary-")  # the batch's own files start with "_"
    assert stems[2] == "ok-1.v2"


# --- a Chroma server shared by the workers ---------------------------------------------------


def test_workers_sharing_a_chroma_server_give_the_same_reports(
    clean: tuple[Path, dict[str, dict]], chroma_server: tuple[str, int], tmp_path: Path
) -> None:
    data, reference = clean
    host, port = chroma_server
    run_batch(data, local(tmp_path, "out", 2, chroma_host=host, chroma_port=port))
    assert reports(tmp_path / "out") == reference
    assert not (tmp_path / "stores").exists()  # no embedded store was made


# --- factcheck eval on the same executors ----------------------------------------------------


def test_eval_on_worker_processes_scores_as_with_threads(tmp_path: Path, store) -> None:
    from factcheck.batch.worker import eval_mapper
    from factcheck.engines import make_engine
    from factcheck.evaluation.loaders import load_dataset
    from factcheck.evaluation.runner import run_eval

    data = load_dataset(FIXTURES / "fever_small.jsonl")
    threads = run_eval(data, lambda: make_engine("local"), store, concurrency=2)
    mapper = eval_mapper(
        "local", 2, None, engine="local", model=None, base_url=None, store_root=tmp_path
    )
    processes = run_eval(data, lambda: make_engine("local"), store, mapper=mapper)
    assert [o.id for o in processes.outcomes] == ["f1", "f2", "f3"]
    assert processes.computed == 3
    assert [o.pairs for o in processes.outcomes] == [o.pairs for o in threads.outcomes]
    assert [o.found for o in processes.outcomes] == [o.found for o in threads.outcomes]


def test_eval_command_takes_the_executor_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTCHECK_EXECUTOR", "local")
    monkeypatch.setenv("FACTCHECK_WORKERS", "2")
    result = run_cli(
        "eval", str(FIXTURES / "cluster_small.jsonl"), "--engine", "local", "--format", "json",
        "--no-save", "--cache-dir", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    row = json.loads(result.output.strip().splitlines()[-1])
    assert row["n"] == 5 and row["computed"] == 1
    assert list((tmp_path / "chroma-workers").glob("worker-*"))  # the workers' own stores
