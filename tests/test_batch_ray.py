"""`factcheck batch --executor ray` on a local Ray instance with 2 CPUs, started by these tests: the
same reports as one local process, nothing lost when an actor's process is killed, and a Chroma
server shared by the actors. Skipped when Ray is not installed (pip install "factcheck[ray]")."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from factcheck.batch import BatchOptions, run_batch
from factcheck.batch.worker import KILL_ENV, KILL_MARKER_ENV
from tests import test_batch as shared
from tests.test_batch import CLUSTERS, reports

clean = shared.clean  # the same fixture as the local executor's tests

ray = pytest.importorskip("ray", reason='Ray is not installed (pip install "factcheck[ray]")')

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray_instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A local Ray instance with 2 CPUs; yields the kill marker its workers honour (see KILL_ENV).

    The workers inherit this environment when Ray starts: the one that starts the cluster "fire"
    while the marker file is missing creates it and kills itself.
    """
    marker = tmp_path_factory.mktemp("ray-kill") / "killed"
    marker.touch()  # no kill until a test removes it
    saved = {k: os.environ.get(k) for k in (KILL_ENV, KILL_MARKER_ENV)}
    os.environ[KILL_ENV], os.environ[KILL_MARKER_ENV] = "fire", str(marker)
    try:
        ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    try:
        yield marker
    finally:
        ray.shutdown()


def on_ray(tmp_path: Path, **options) -> BatchOptions:
    return BatchOptions(
        out=tmp_path / "out", executor="ray", workers=2, store=tmp_path / "stores", **options
    )


def test_two_ray_workers_give_the_same_reports_as_one_local_process(
    clean: tuple[Path, dict[str, dict]], ray_instance: Path, tmp_path: Path
) -> None:
    data, reference = clean
    ray_instance.touch()
    run = run_batch(data, on_ray(tmp_path))
    assert (run.executor, run.workers, run.computed) == ("ray", 2, len(CLUSTERS))
    assert reports(tmp_path / "out") == reference
    assert len(run.workers_seen) == 2  # both actors did some of the work
    assert ray.is_initialized()  # a Ray instance the caller started is left running


def test_a_ray_worker_killed_mid_run_loses_nothing(
    clean: tuple[Path, dict[str, dict]], ray_instance: Path, tmp_path: Path
) -> None:
    data, reference = clean
    ray_instance.unlink()
    run = run_batch(data, on_ray(tmp_path))
    assert ray_instance.exists(), "no Ray worker was killed"
    assert [r["status"] for r in run.rows] == ["ok"] * len(CLUSTERS)
    assert reports(tmp_path / "out") == reference


def test_ray_workers_sharing_a_chroma_server(
    clean: tuple[Path, dict[str, dict]],
    ray_instance: Path,
    chroma_server: tuple[str, int],
    tmp_path: Path,
) -> None:
    data, reference = clean
    ray_instance.touch()
    host, port = chroma_server
    run_batch(data, on_ray(tmp_path, chroma_host=host, chroma_port=port))
    assert reports(tmp_path / "out") == reference


def test_eval_examples_on_ray_workers_score_as_with_threads(
    ray_instance: Path, tmp_path: Path, store
) -> None:
    from factcheck.batch.worker import eval_mapper
    from factcheck.engines import make_engine
    from factcheck.evaluation.loaders import load_dataset
    from factcheck.evaluation.runner import run_eval

    data = load_dataset(shared.FIXTURES / "fever_small.jsonl")
    threads = run_eval(data, lambda: make_engine("local"), store)
    mapper = eval_mapper(
        "ray", 2, None, engine="local", model=None, base_url=None, store_root=tmp_path
    )
    on_ray = run_eval(data, lambda: make_engine("local"), store, mapper=mapper)
    assert [o.id for o in on_ray.outcomes] == ["f1", "f2", "f3"]
    assert [o.pairs for o in on_ray.outcomes] == [o.pairs for o in threads.outcomes]
