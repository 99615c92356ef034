"""What tools/compare_peers.py and tools/compare_peers_robust.py share: their one error,
running a command, and the machine and package facts their headers print."""

from __future__ import annotations

import importlib.metadata
import platform
import subprocess
from pathlib import Path


class Failure(Exception):
    pass


def run(cmd: list, ok=(0,), **kw) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Failure(f"{' '.join(map(str, cmd))}: {e}") from None
    if done.returncode not in ok:
        why = (done.stderr.strip().splitlines() or done.stdout.strip().splitlines() or ["no message"])[-1]
        raise Failure(f"{' '.join(map(str, cmd))} exited {done.returncode}: {why}")
    return done


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"
