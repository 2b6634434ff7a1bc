"""Every kind of source is read with one size limit: files, devices, FIFOs and endless stdin."""

from __future__ import annotations

import io
import os
import sys
import threading
import tracemalloc
from pathlib import Path

import pytest

from factcheck.errors import FactcheckError
from factcheck.ingest import load_article
from factcheck.limits import MAX_CHARS, MAX_SOURCE_BYTES
from tests.helpers import run_cli


class Endless(io.RawIOBase):
    """A stream that never ends, like `yes | factcheck compare - b.txt`."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"y\n" * (len(buffer) // 2) + b"y" * (len(buffer) % 2)
        return len(buffer)


def peak_bytes(action) -> int:
    tracemalloc.start()
    try:
        action()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_read_up_to_the_limit(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device} here")

    def read() -> None:
        with pytest.raises(FactcheckError, match="larger than 5 MB"):
            load_article(device)

    assert peak_bytes(read) < 4 * MAX_SOURCE_BYTES


def test_fifo_with_an_endless_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    stop = threading.Event()

    def write() -> None:
        with open(fifo, "wb") as handle:
            while not stop.is_set():
                try:
                    handle.write(b"The council met. " * 4096)
                except BrokenPipeError:
                    return

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        with pytest.raises(FactcheckError, match="larger than 5 MB"):
            load_article(fifo)
    finally:
        stop.set()


def test_endless_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))

    def read() -> None:
        with pytest.raises(FactcheckError, match="larger than 5 MB"):
            load_article("-")

    assert peak_bytes(read) < 4 * MAX_SOURCE_BYTES


def test_device_on_the_command_line_is_one_line_error(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("The council approved the budget on Monday, officials said.\n")
    result = run_cli("compare", str(good), "/dev/zero")
    assert result.exit_code == 2
    assert result.output.startswith("error: /dev/zero: is larger than 5 MB")
    assert "Traceback" not in result.output


def test_text_longer_than_an_article_refused(tmp_path: Path) -> None:
    long = tmp_path / "long.txt"
    long.write_text("Short sentence here. " * (MAX_CHARS // 20), encoding="utf-8")
    assert long.stat().st_size < MAX_SOURCE_BYTES
    with pytest.raises(FactcheckError, match="characters; factcheck compares single articles"):
        load_article(long)
