"""What the benchmark ran on, written beside its numbers."""
import os
import platform
import sqlite3
import subprocess
import sys

from sqlalchemy import create_engine, text


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        with open("/proc/meminfo") as meminfo:
            kilobytes = int(meminfo.readline().split()[1])
        return f"{kilobytes / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        return "unknown"


def _wrk_version() -> str:
    try:
        result = subprocess.run(["wrk", "--version"], capture_output=True, text=True, timeout=10)
        return (result.stdout or result.stderr).splitlines()[0].strip()
    except (OSError, IndexError, subprocess.SubprocessError):
        return "not installed"


def postgres_version(server_url: str) -> str:
    engine = create_engine(server_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SHOW server_version")).scalar()
    except Exception as error:  # the driver's many connection errors
        return f"unreachable ({type(error).__name__})"
    finally:
        engine.dispose()


def describe(pg_server_url: str | None, workers: int, threads: int) -> dict:
    return {
        "cpu": _cpu_model(),
        "cores (nproc)": os.cpu_count(),
        "memory": _memory(),
        "system": platform.platform(),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version(pg_server_url) if pg_server_url else "not used",
        "server": (f"gunicorn, {workers} workers x {threads} threads (gthread)" if threads > 1
                   else f"gunicorn, {workers} sync workers"),
        "load generator": f"{_wrk_version()}, 8 connections, 2 threads",
    }
