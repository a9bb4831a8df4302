"""Run hostile cases through the CLI, each in a forked process under a memory limit and a time limit.

    PYTHONPATH=tests python -m badinput.run_cases < cases.json > results.jsonl

Imports the tool once, then runs each case in a forked child under a memory limit (its address space may
grow by `memory_mb`), a time limit, and optionally a file-size limit (limits.py):
- "cli": the typer app in process (typer's CliRunner), capturing stdout and stderr;
- "main": the real entry point with real file descriptors, stdout closed or a pipe whose reader has gone.
Each result carries the child's own peak memory and time; a crash, a hang or a runaway allocation stays in
its child. One JSON line per case, in input order.

A case: {"id": str, "argv": [str, ...], "mode": "cli" | "main", "stdout": "closed" | "broken" | null,
"fsize": int | null, "seconds": float, "memory_mb": int}.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from typer.testing import CliRunner

import xiaomi_check
from badinput.limits import run_limited
from xiaomi_check.cli import app, main, normalise_argv


def _import_everything() -> None:
    """Import the modules the CLI imports lazily, once, so that each forked case starts at once."""
    import importlib
    import pkgutil

    for module in pkgutil.walk_packages(xiaomi_check.__path__, "xiaomi_check."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)


def run(case: dict[str, Any]) -> dict[str, Any]:
    """One case in a forked child (limits.py): its result, with the child's time and peak memory."""
    done = run_limited(_case, case, seconds=float(case.get("seconds", 60)), memory_mb=int(case.get("memory_mb", 1024)),
                       fsize=case.get("fsize"))
    result = dict(done.value) if done.value else {}
    if done.error:
        result["error"] = done.error
    result.update(id=case["id"], seconds=round(done.seconds, 3), peak_mb=done.peak_mb)
    return result


def _case(case: dict[str, Any]) -> dict[str, Any]:
    return _run_main(case) if case.get("mode") == "main" else _run_cli(case)


def _run_cli(case: dict[str, Any]) -> dict[str, Any]:
    result = CliRunner().invoke(app, normalise_argv(case["argv"]))
    escaped = result.exception if not isinstance(result.exception, SystemExit) else None
    return {"exit_code": result.exit_code, "stdout": result.stdout, "stderr": result.stderr,
            "exception": f"{type(escaped).__name__}: {escaped}" if escaped else None}


def _run_main(case: dict[str, Any]) -> dict[str, Any]:
    """The console entry point with stdout closed (`>&-`), a file (`> stdout.txt`, under a file-size limit) or
    a pipe nobody reads any more (`| head -c 0`); stderr goes to a file the parent reads back."""
    err_path = f"/tmp/xiaomi-check-case-{os.getpid()}.err"
    err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(err, 2)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 (lives as long as the child)
    if case.get("stdout") == "closed":
        os.close(1)
        sys.stdout = None  # type: ignore[assignment]  # what Python sets when fd 1 is closed at start-up
    elif case.get("stdout") == "file":
        handle = os.open("stdout.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(handle, 1)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    elif case.get("stdout") == "broken":
        reader, writer = os.pipe()
        os.dup2(writer, 1)
        os.close(reader)  # the reader has gone: the first write raises BrokenPipeError
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    try:
        main(case["argv"])
        code: object = 0
    except SystemExit as done:
        code = done.code
    sys.stderr.flush()
    with open(err_path, encoding="utf-8") as stream:
        stderr = stream.read()
    os.unlink(err_path)
    return {"exit_code": code if isinstance(code, int) else 1, "stdout": "", "stderr": stderr, "exception": None}


def main_loop() -> int:
    _import_everything()
    for case in json.load(sys.stdin):
        sys.stdout.write(json.dumps(run(case)) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main_loop())
