"""Readers run in a worker process under a per-file time and memory limit.

What it does: :func:`read_isolated` hands one file (its path and bytes) to a
long-lived worker process that runs :func:`nlp.ingest.read_path` and sends
the :class:`~nlp.records.ReadResult` back. The parent waits at most the time
limit and watches the worker's resident memory; a worker over either limit
is killed (SIGKILL) and the file fails with a reason that names the limit and
the setting that raises it. The next file gets a fresh worker. Document
processing systems do the same for the same reason (Aleph's ingest-file
runs each file in a killable worker): a parser given a hostile file (a sheet
declaring cell XFD1048576, a PDF with millions of text operators) may run
or grow without end, and no in-process timeout can stop C code.

Belt and braces inside the worker: an address-space limit (its size after
start-up plus the memory limit) turns a runaway allocation into a
MemoryError, an alarm ends the worker by itself if the parent is gone, and
its standard output is pointed at standard error, so chatty libraries
(xlrd's warnings) never reach a ``--json`` stream.

Settings: ``SANCTIONS_READ_TIMEOUT_S`` (300), ``SANCTIONS_READ_MEMORY_MB``
(4096), ``SANCTIONS_READ_ISOLATION`` (``on``; ``off`` reads in-process, for
debugging). The web app reads uploads with its own, shorter time limit.

What it does not do: pick readers or parse anything itself (the registry and
the reader modules do), or limit the extract/index stages.
"""

from __future__ import annotations

import atexit
import os
import pickle
import queue
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .. import settings
from ..records import ReadResult
from .registry import Reader, ReadError

_HEADER = struct.Struct("!Q")
_POLL_S = 0.05
_START_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Limits:
    """How long and how much memory one file may take."""

    seconds: float
    memory_mb: int
    seconds_setting: str = "SANCTIONS_READ_TIMEOUT_S"

    def to_dict(self) -> dict:
        return {"seconds": self.seconds, "memory_mb": self.memory_mb}


def read_limits() -> Limits:
    return Limits(seconds=float(settings.env("READ_TIMEOUT_S") or 300),
                  memory_mb=int(float(settings.env("READ_MEMORY_MB") or 4096)))


def isolation_enabled() -> bool:
    return (settings.env("READ_ISOLATION") or "on").strip().lower() not in ("off", "0", "no", "false")


class OverLimit(ReadError):
    """A file whose reading ran past its time or memory limit."""


# -- the worker side --------------------------------------------------------------

def _send(stream, obj) -> None:
    body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(body)) + body)
    stream.flush()


def _receive_exact(stream, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("stream closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(stream):
    (size,) = _HEADER.unpack(_receive_exact(stream, _HEADER.size))
    return pickle.loads(_receive_exact(stream, size))


def _vm_bytes(pid: int | str = "self") -> tuple[int, int]:
    """(virtual size, resident size) of a process in bytes, from /proc."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            size, resident = handle.read().split()[:2]
    except (OSError, ValueError):
        return 0, 0
    page = os.sysconf("SC_PAGE_SIZE")
    return int(size) * page, int(resident) * page


def worker_main() -> None:
    """The worker loop: read jobs from stdin, answer on the original stdout."""
    import resource

    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, not into the answers
    sys.stdout = sys.stderr
    jobs = sys.stdin.buffer
    from . import load_readers, read_path

    load_readers()
    config = _receive(jobs)
    seconds, memory_mb = config["seconds"], config["memory_mb"]
    baseline, _ = _vm_bytes()
    if memory_mb > 0 and baseline:
        limit = baseline + memory_mb * 1024 * 1024
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):
            pass  # a lower hard limit is already in place: the parent's watch still holds
    _send(answers, ("ready", os.getpid()))
    while True:
        try:
            raw_path, data = _receive(jobs)
        except EOFError:
            return
        # Ends this process even if the parent is gone and cannot kill it.
        signal.alarm(int(seconds) + 5)
        try:
            reader, result = read_path(Path(os.fsdecode(raw_path)), data)
            answer: tuple = ("ok", reader.name, result)
        except ReadError as exc:
            over_memory = isinstance(exc.__cause__, MemoryError)
            answer = ("memory", str(exc)) if over_memory else ("error", str(exc))
        except MemoryError:
            answer = ("memory", "MemoryError")
        except RecursionError:
            answer = ("error", "structure nested too deeply to read (RecursionError)")
        except Exception as exc:  # read_path describes reader errors; anything else is described here
            from .reasons import describe

            answer = ("error", describe("ingest", exc))
        finally:
            signal.alarm(0)
        del data
        try:
            _send(answers, answer)
        except MemoryError:
            _send(answers, ("memory", "result too large to send back"))


# -- the parent side --------------------------------------------------------------

class ReaderWorker:
    """One worker process, reused from file to file, replaced after a kill."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.process: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        process = subprocess.Popen(
            [sys.executable, "-c", "from nlp.ingest.isolation import worker_main; worker_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True)
        assert process.stdin is not None and process.stdout is not None
        _send(process.stdin, self.limits.to_dict())
        if not self._wait_readable(process, _START_TIMEOUT_S, None):
            self._kill(process)
            raise ReadError("reader worker did not start")
        try:
            _receive(process.stdout)
        except EOFError:
            self._kill(process)
            raise ReadError("reader worker did not start") from None
        return process

    @staticmethod
    def _kill(process: subprocess.Popen) -> None:
        try:
            process.kill()
        except OSError:
            pass
        process.wait()
        for stream in (process.stdin, process.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass

    def close(self) -> None:
        if self.process is not None:
            self._kill(self.process)
            self.process = None

    def _wait_readable(self, process: subprocess.Popen, seconds: float,
                       memory_bytes: int | None) -> bool | str:
        """True when an answer is waiting; "time"/"memory" when a limit ran out;
        False when the worker died."""
        assert process.stdout is not None
        deadline = time.monotonic() + seconds
        fd = process.stdout.fileno()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return "time"
            ready, _, _ = select.select([fd], [], [], min(_POLL_S, left))
            if ready:
                return True
            if process.poll() is not None:
                return False
            if memory_bytes is not None and _vm_bytes(process.pid)[1] > memory_bytes:
                return "memory"

    def read(self, path: Path, data: bytes) -> tuple[str, ReadResult]:
        """(reader name, result) for one file; ReadError (OverLimit at a limit)."""
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()
        process = self.process
        assert process.stdin is not None and process.stdout is not None
        _, resident = _vm_bytes(process.pid)
        memory_bytes = resident + self.limits.memory_mb * 1024 * 1024 if self.limits.memory_mb > 0 else None
        try:
            _send(process.stdin, (os.fsencode(str(path)), data))
        except (BrokenPipeError, OSError):
            self.close()
            raise ReadError("reader worker stopped before the file was sent") from None
        state = self._wait_readable(process, self.limits.seconds, memory_bytes)
        if state is True:
            try:
                answer = _receive(process.stdout)
            except (EOFError, pickle.UnpicklingError):
                state = False
                try:  # the worker is ending by itself: let it, to learn how it ended
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
            else:
                return self._unpack(answer)
        self.close()
        if state == "time":
            raise OverLimit(f"over the time limit: reading took more than {self.limits.seconds:g} s "
                            f"({self.limits.seconds_setting})")
        if state == "memory":
            raise OverLimit(self._memory_reason())
        code = process.returncode
        if code is not None and code < 0 and -code in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT,
                                                        signal.SIGBUS):
            name = signal.Signals(-code).name
            raise OverLimit(f"reader process ended by {name}: probably {self._memory_reason()}")
        if code is not None and code < 0 and -code == signal.SIGALRM:
            raise OverLimit(f"over the time limit: reading took more than {self.limits.seconds:g} s "
                            f"({self.limits.seconds_setting})")
        raise ReadError(f"reader process ended unexpectedly (exit status {code})")

    def _memory_reason(self) -> str:
        return (f"over the memory limit: reading needed more than {self.limits.memory_mb} MB "
                "(SANCTIONS_READ_MEMORY_MB)")

    def _unpack(self, answer: tuple) -> tuple[str, ReadResult]:
        kind = answer[0]
        if kind == "ok":
            return answer[1], answer[2]
        if kind == "memory":
            raise OverLimit(self._memory_reason())
        raise ReadError(answer[1])


class WorkerPool:
    """Up to ``size`` workers shared by threads (the web app reads uploads here)."""

    def __init__(self, limits: Limits, size: int = 1):
        self.limits = limits
        self._idle: queue.LifoQueue[ReaderWorker] = queue.LifoQueue()
        for _ in range(max(1, size)):
            self._idle.put(ReaderWorker(limits))
        self._all = list(self._idle.queue)

    def read(self, path: Path, data: bytes) -> tuple[str, ReadResult]:
        worker = self._idle.get()
        try:
            return worker.read(path, data)
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        for worker in self._all:
            worker.close()


_POOLS: dict[tuple, WorkerPool] = {}
_POOLS_LOCK = threading.Lock()


def pool_for(limits: Limits, size: int = 1) -> WorkerPool:
    """The process's shared pool for these limits (started lazily, closed at exit)."""
    key = (limits, size)
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            pool = _POOLS[key] = WorkerPool(limits, size)
        return pool


@atexit.register
def close_pools() -> None:
    with _POOLS_LOCK:
        for pool in _POOLS.values():
            pool.close()
        _POOLS.clear()


def read_isolated(path: Path, data: bytes, limits: Limits | None = None, *,
                  pool_size: int = 1) -> tuple[Reader, ReadResult]:
    """Read one file as :func:`nlp.ingest.read_path` does, under ``limits``.

    With ``SANCTIONS_READ_ISOLATION=off`` the file is read in this process.
    """
    from . import load_readers, read_path
    from .registry import get

    if not isolation_enabled():
        return read_path(path, data)
    load_readers()
    name, result = pool_for(limits or read_limits(), pool_size).read(path, data)
    return get(name), result


def read_file_isolated(path: Path) -> tuple[Reader, ReadResult]:
    """Read a file from disk under the limits: not through a link, not a pipe,
    not over ``SANCTIONS_MAX_FILE_MB`` (then ``read_path`` says why)."""
    from . import read_path
    from .walk import read_regular

    try:
        data = read_regular(path, settings.max_file_bytes())
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except OSError as exc:
        raise ReadError(f"cannot open: {exc.strerror or exc}") from None
    return read_path(path) if data is None else read_isolated(path, data)
