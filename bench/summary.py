"""The README's table of the latest figures, read from the results `make bench` wrote:

    .venv/bin/python -m bench.summary [stamp]     (default: the newest run of two sizes)

One row per page and database: throughput at both sizes, latency and the share of the
minimal endpoint at the larger size, how much slower the page is at the larger size (as
served against the minimal endpoint, and in-process), statements at both sizes, and each
target met or missed, as `bench.report` judges them.
"""
import json
import sys
from pathlib import Path

from bench.pages import CEILING
from bench.report import (
    RESULTS, ceiling_of, drift_ceilings, in_process_slowdown, served_misses, share_of, size_slowdown,
    size_target_met,
)


def _compared_runs(path: Path) -> dict | None:
    """The results in `path`, when they measured two sizes or more (the summary compares
    the smallest and the largest); None for a quick run of one size."""
    data = json.loads(path.read_text())
    return data if len(data["runs"]) > 1 else None


def latest_stamp(results: Path = RESULTS) -> str:
    """The stamp of the newest run that compared two sizes: by the day in its stamp, then
    by when it finished.

    Not by the files' times: a clone or a checkout gives every results file the time it
    was written out, so those say nothing of which run came last. Runs written before
    `finished_at` was recorded (up to the fifth run of 4 December 2026) only have their
    day; when the newest day holds several of them, the reader is asked to name one."""
    finished: dict[str, str] = {}
    for path in results.glob("*.json"):
        stamp, _, database = path.stem.rpartition("-")
        if database in ("sqlite", "postgresql") and (data := _compared_runs(path)):
            finished[stamp] = max(finished.get(stamp, ""), data.get("finished_at", ""))
    if not finished:
        raise SystemExit("No results of two sizes in bench/results/: run `make bench` first.")
    # An ISO time sorts as text, and a run that recorded one is newer than any of its day that did not.
    newest = max((stamp[:10], at) for stamp, at in finished.items())
    stamps = sorted(stamp for stamp, at in finished.items() if (stamp[:10], at) == newest)
    if len(stamps) > 1:
        raise SystemExit(f"Several runs of {newest[0]} do not say when they finished. Name the one to show, "
                         "`python -m bench.summary <stamp>`, one of: " + ", ".join(stamps))
    return stamps[0]


def verdicts(row: dict, small: dict, ceiling: dict, drift: tuple[dict, dict] | None = None) -> list[str]:
    """The targets `row` misses at the larger size: share and p99 against that size's
    `ceiling`, then statements or size against the smaller size's row (`drift`: what the
    served slowdown is divided by, `report.drift_ceilings`)."""
    misses = served_misses(row, ceiling)
    if small["statements"] != row["statements"]:
        misses.append("statements")
    elif not size_target_met(small, row, drift):
        misses.append("size")
    return misses


def _thousands(size: str) -> str:
    return f"{int(size) // 1000}k"


def table(stamp: str, results: Path = RESULTS) -> str:
    compared = {}
    for database in ("sqlite", "postgresql"):
        path = results / f"{stamp}-{database}.json"
        if path.exists():
            compared[database] = _compared_runs(path)
    if not compared:
        raise SystemExit(f"No results of a run called {stamp} in bench/results/.")
    if not all(compared.values()):
        raise SystemExit(f"The run {stamp} measured one size; its tables are in bench/results/{stamp}-*.md.")
    lines = []
    for database, data in compared.items():
        runs = data["runs"]
        sizes = sorted(runs, key=int)
        small, large = runs[sizes[0]], runs[sizes[-1]]
        # Runs written before the sizes were served side by side do not say so.
        drift = drift_ceilings(runs, data.get("sizes_side_by_side", False))
        if not lines:
            to, at = f"{_thousands(sizes[0])} → {_thousands(sizes[-1])}", _thousands(sizes[-1])
            served = "served" if drift is None else "served against the ceiling"
            lines = [f"| database | page | req/s {to} | p50 / p99 ms at {at} | share at {at} | "
                     f"slower at {at}: {served} / in-process | statements | misses |",
                     "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
        by_page = {row["page"]: row for row in small}
        ceiling = ceiling_of(large)
        for row in large:
            before = by_page[row["page"]]
            misses = [] if row["page"] == CEILING else verdicts(row, before, ceiling, drift)
            statements = (f"{row['statements']}" if before["statements"] == row["statements"]
                          else f"{before['statements']} → {row['statements']}")
            lines.append(f"| {database} | {row['page']} | {before['rps']:.0f} → {row['rps']:.0f} | "
                         f"{row['p50_ms']:.0f} / {row['p99_ms']:.0f} | {share_of(row, ceiling):.0%} | "
                         f"{size_slowdown(before, row, drift):.2f}× / {in_process_slowdown(before, row):.2f}× | "
                         f"{statements} | {', '.join(misses) or '—'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(sys.argv[1] if len(sys.argv) > 1 else latest_stamp()))
