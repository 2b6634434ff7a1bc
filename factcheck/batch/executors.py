"""Map a worker task over items with N workers: local processes, or Ray actors on a Ray cluster.

A task is a picklable object with three methods:

- `open()` builds the worker's state (engine, models, store) once, in the worker process;
- `run(state, item)` computes one item's result there;
- `failed(item, message)` is the result of an item that could not be computed because its worker
  kept dying (killed, out of memory), computed in the driver.

`Executor.map(task, items)` yields `(index, result)` pairs as items finish (callers that need input
order sort by index). An exception raised by `run` propagates to the caller; a worker that dies
only costs the items it was working on, which are run again (at most MAX_ATTEMPTS times each).
"""

from __future__ import annotations

import os
import sys
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from factcheck.errors import FactcheckError

T = TypeVar("T")
R = TypeVar("R")

EXECUTORS = ("local", "ray")
MAX_ATTEMPTS = 3  # tries of an item whose worker died while running it


class WorkerTask(Protocol[T, R]):
    def open(self) -> Any: ...

    def run(self, state: Any, item: T) -> R: ...

    def failed(self, item: T, message: str) -> R: ...


class WorkerSetupError(FactcheckError):
    """A worker could not build its state (engine, store): every item would fail, so the run stops."""


def died_message(attempts: int) -> str:
    return (
        f"its worker process died {attempts} times while checking it "
        "(killed, or out of memory?); the other clusters were not affected"
    )


def cpu_count() -> int:
    """CPUs this process may use (the affinity mask where the platform has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def peak_rss_mb() -> float | None:
    """This process's peak resident memory in MiB (None where the platform cannot say)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


# --- per-worker state in a worker process --------------------------------------------------------

_worker: dict[str, Any] = {}  # "task" and "state" of this worker process (set on first item)
_slots: list[Any] = []  # slot locks held for the life of the process


def _state_for(task: Any) -> Any:
    if _worker.get("task") is not task:
        try:
            state = task.open()
        except FactcheckError as exc:
            raise WorkerSetupError(str(exc)) from None
        except Exception as exc:
            raise WorkerSetupError(
                f"a worker could not start: {type(exc).__name__}: {exc}"
            ) from None
        _worker.update(task=task, state=state)
    return _worker["state"]


def _init_process(task: Any) -> None:
    _worker.clear()
    _worker["pending"] = task


def _run_in_process(item: Any) -> Any:
    task = _worker["pending"]
    return task.run(_state_for(task), item)


def claim_slot(root: Path) -> Path:
    """A store folder `root/worker-K` that no other live worker on this machine holds.

    The slot's lock file is held (flock) for the rest of this process's life, so a dead worker's
    slot is free again at once, and two runs on one machine never share a slot.
    """
    from filelock import FileLock, Timeout

    root.mkdir(parents=True, exist_ok=True)
    for k in range(4096):
        lock = FileLock(root / f"worker-{k}.lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            continue
        _slots.append(lock)
        return root / f"worker-{k}"
    raise FactcheckError(f"no free store slot under {root}")


# --- executors -----------------------------------------------------------------------------------


@dataclass
class LocalExecutor:
    """Processes on this machine (spawned, so nothing half-initialised is forked).

    At most `workers` items are in flight, so when the pool breaks (a worker was killed) the items
    lost are exactly those being worked on. They are then rerun one at a time, so a cluster that
    kills its worker every time is found and given up on after MAX_ATTEMPTS, without blaming the
    others.
    """

    workers: int
    name: str = "local"

    def _pool(self, task: Any) -> Any:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_process,
            initargs=(task,),
        )

    def map(self, task: WorkerTask[T, R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        queue: deque[int] = deque(range(len(items)))
        suspects: deque[int] = deque()  # in flight when a worker died: rerun alone
        attempts: dict[int, int] = {}
        while queue or suspects:
            pool = self._pool(task)
            inflight: dict[Any, int] = {}
            try:
                broken = False
                while (queue or suspects or inflight) and not broken:
                    if suspects:
                        if not inflight:
                            i = suspects.popleft()
                            inflight[pool.submit(_run_in_process, items[i])] = i
                    else:
                        while queue and len(inflight) < self.workers:
                            i = queue.popleft()
                            inflight[pool.submit(_run_in_process, items[i])] = i
                    done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
                    broken = any(isinstance(f.exception(), BrokenProcessPool) for f in done)
                    if broken:
                        break
                    for future in done:
                        yield inflight.pop(future), future.result()
                if broken:  # a worker died: keep what finished, rerun the rest one at a time
                    pool.shutdown(wait=True, cancel_futures=True)
                    lost = []
                    for future, i in inflight.items():
                        if future.done() and not future.cancelled() and future.exception() is None:
                            yield i, future.result()
                        else:
                            lost.append(i)
                    for i in sorted(lost):
                        if len(inflight) == 1:  # it ran alone, so it was the one that died
                            attempts[i] = attempts.get(i, 0) + 1
                        if attempts.get(i, 0) >= MAX_ATTEMPTS:
                            yield i, task.failed(items[i], died_message(attempts[i]))
                        else:
                            suspects.append(i)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class RayExecutor:
    """One Ray actor per worker (each loads the models once), spread over the cluster's nodes.

    Actors restart when their process dies, and the item they were running is retried on the
    restarted actor (Ray's max_task_retries) up to MAX_ATTEMPTS tries in all.
    """

    workers: int | None = None
    address: str | None = None
    name: str = "ray"

    def _connect(self) -> tuple[Any, bool]:
        """Ray, initialised (an existing instance is reused); and whether this call started it."""
        try:
            import ray
        except ImportError:
            raise FactcheckError(
                '--executor ray needs Ray: pip install "factcheck[ray]" (or use --executor local)'
            ) from None
        if ray.is_initialized():
            return ray, False
        options: dict[str, Any] = {"include_dashboard": False, "logging_level": "WARNING"}
        if self.address:
            options["address"] = self.address
        elif self.workers:
            options["num_cpus"] = self.workers
        try:
            ray.init(**options)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = f"at {self.address}" if self.address else "locally"
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise FactcheckError(f"cannot start or join a Ray cluster {where}: {first}") from None
        return ray, True

    def map(self, task: WorkerTask[T, R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
        ray, started = self._connect()
        from ray.exceptions import RayError, RayTaskError

        actors: list[Any] = []
        inflight: dict[Any, tuple[int, Any]] = {}
        queue: deque[int] = deque(range(len(items)))

        def submit(actor: Any) -> None:
            if queue:
                i = queue.popleft()
                inflight[actor.run.remote(items[i])] = (i, actor)

        try:
            self.workers = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
            actor_class = ray.remote(
                num_cpus=1, max_restarts=-1, max_task_retries=MAX_ATTEMPTS - 1
            )(_RayWorker)
            for _ in range(min(self.workers, max(1, len(items)))):
                actors.append(actor_class.options(scheduling_strategy="SPREAD").remote(task))
                submit(actors[-1])
            while inflight:
                ready, _ = ray.wait(list(inflight), num_returns=1)
                i, actor = inflight.pop(ready[0])
                try:
                    result = ray.get(ready[0])
                except RayTaskError as exc:  # the task raised: the caller sees that error
                    cause = getattr(exc, "cause", None)
                    raise (cause if isinstance(cause, BaseException) else exc) from None
                except RayError:  # its actor died on every retry (killed, out of memory)
                    result = task.failed(items[i], died_message(MAX_ATTEMPTS))
                yield i, result
                submit(actor)
        finally:
            for actor in actors:
                ray.kill(actor, no_restart=True)
            if started:
                ray.shutdown()


class _RayWorker:
    """A Ray actor: the task's state built once, then one item per call."""

    def __init__(self, task: Any) -> None:
        self.task = task
        self.state: Any = None
        self.lock = threading.Lock()

    def run(self, item: Any) -> Any:
        with self.lock:
            if self.state is None:
                self.state = _state_for(self.task)
            return self.task.run(self.state, item)


def make_executor(
    kind: str, workers: int | None = None, address: str | None = None
) -> LocalExecutor | RayExecutor:
    """The executor named on the command line; `workers` defaults to every CPU (of the cluster)."""
    if kind not in EXECUTORS:
        raise FactcheckError(f"unknown executor {kind!r}; choose one of: {', '.join(EXECUTORS)}")
    if workers is not None and workers < 1:
        raise FactcheckError(f"--workers must be at least 1, not {workers}")
    if kind == "local":
        if address:
            raise FactcheckError("--ray-address is for --executor ray")
        return LocalExecutor(workers or cpu_count())
    return RayExecutor(workers, address)
