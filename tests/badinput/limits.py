"""Run one function in a forked child under a memory limit and a time limit (issue 14).

The child sets `RLIMIT_AS` to its inherited address space plus `memory_mb` (and `RLIMIT_FSIZE` if asked),
runs the function, and sends its pickled result down a pipe; the parent waits with `wait4`, so it learns the
child's own peak memory, and kills a child past its time limit. A crash, a hang or a runaway allocation stays
in the child. POSIX only (fork).
"""

from __future__ import annotations

import os
import pickle
import resource
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_MB = 1024 * 1024


@dataclass(frozen=True)
class Limited:
    value: Any  # what the function returned, or None
    error: str  # what went wrong instead: an exception, a timeout, a signal; "" if nothing
    seconds: float
    peak_mb: int  # the child's peak resident memory


def run_limited(function: Callable[..., Any], *args: Any, seconds: float = 60.0, memory_mb: int = 1024,
                fsize: int | None = None) -> Limited:
    read, write = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        _child(write, function, args, memory_mb, fsize)
    os.close(write)
    data, status, usage, timed_out = _wait(pid, read, seconds)
    elapsed = time.monotonic() - started
    peak = usage.ru_maxrss // 1024
    if timed_out:
        return Limited(None, f"timeout after {seconds:g} s", elapsed, peak)
    if os.WIFSIGNALED(status):
        return Limited(None, f"killed by signal {os.WTERMSIG(status)}", elapsed, peak)
    value, error = pickle.loads(data) if data else (None, "no result")
    return Limited(value, error, elapsed, peak)


def _child(write: int, function: Callable[..., Any], args: tuple[Any, ...], memory_mb: int,
           fsize: int | None) -> None:
    try:
        address_space = _address_space() + memory_mb * _MB
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, resource.RLIM_INFINITY))
        result: tuple[Any, str] = (function(*args), "")
    except BaseException as error:  # a harness: whatever escaped is the result
        result = (None, f"{type(error).__name__}: {error}")
    try:
        payload = pickle.dumps(result)
    except Exception as error:
        payload = pickle.dumps((None, f"unpicklable result: {error}"))
    with os.fdopen(write, "wb") as stream:
        stream.write(payload)
    os._exit(0)


def _address_space() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _wait(pid: int, read: int, seconds: float) -> tuple[bytes, int, Any, bool]:
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    os.set_blocking(read, False)
    while True:
        try:
            while chunk := os.read(read, 1 << 16):
                chunks.append(chunk)
        except BlockingIOError:
            pass
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            os.close(read)
            return b"", status, usage, True
        time.sleep(0.002)
    os.set_blocking(read, True)
    while chunk := os.read(read, 1 << 20):
        chunks.append(chunk)
    os.close(read)
    return b"".join(chunks), status, usage, False
