"""The README's table of the latest figures, read from the results `make bench` wrote:

    .venv/bin/python -m bench.summary [stamp]     (default: the newest results)

One row per page and database: throughput at both sizes, latency and the share of the
minimal endpoint at the larger size, how much slower the page is at the larger size (as
served against the minimal endpoint, and in-process), statements at both sizes, and each
target met or missed, as `bench.report` judges them.
"""
import json
import sys

from bench.pages import CEILING
from bench.report import RESULTS, TARGETS, ceiling_of, in_process_slowdown, size_slowdown, size_target_met


def latest_stamp() -> str:
    """The stamp of the newest results file (stamps carry optional labels, so not by name)."""
    results = [path for path in RESULTS.glob("*.json") if path.stem.rsplit("-", 1)[-1] in ("sqlite", "postgresql")]
    if not results:
        raise SystemExit("No results in bench/results/: run `make bench` first.")
    return max(results, key=lambda path: path.stat().st_mtime).stem.rsplit("-", 1)[0]


def verdicts(row: dict, small: dict, small_ceiling: dict, ceiling: dict) -> list[str]:
    misses = []
    if row["rps"] / ceiling["rps"] < TARGETS["share"]:
        misses.append("share")
    limit = TARGETS["search_p99_ms"] if row["page"].startswith("search") else TARGETS["p99_ms"]
    if row["p99_ms"] >= limit:
        misses.append("p99")
    if small["statements"] != row["statements"]:
        misses.append("statements")
    elif not size_target_met(small, row, small_ceiling, ceiling):
        misses.append("size")
    return misses


def table(stamp: str) -> str:
    lines = ["| database | page | req/s 20k → 200k | p50 / p99 ms at 200k | share at 200k | "
             "slower at 200k: served against the ceiling / in-process | statements | misses |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for database in ("sqlite", "postgresql"):
        path = RESULTS / f"{stamp}-{database}.json"
        if not path.exists():
            continue
        runs = json.loads(path.read_text())["runs"]
        sizes = sorted(runs, key=int)
        small, large = runs[sizes[0]], runs[sizes[-1]]
        by_page = {row["page"]: row for row in small}
        small_ceiling, ceiling = ceiling_of(small), ceiling_of(large)
        for row in large:
            before = by_page[row["page"]]
            misses = [] if row["page"] == CEILING else verdicts(row, before, small_ceiling, ceiling)
            statements = (f"{row['statements']}" if before["statements"] == row["statements"]
                          else f"{before['statements']} → {row['statements']}")
            lines.append(f"| {database} | {row['page']} | {before['rps']:.0f} → {row['rps']:.0f} | "
                         f"{row['p50_ms']:.0f} / {row['p99_ms']:.0f} | {row['rps'] / ceiling['rps']:.0%} | "
                         f"{size_slowdown(before, row, small_ceiling, ceiling):.2f}× / {in_process_slowdown(before, row):.2f}× | "
                         f"{statements} | {', '.join(misses) or '—'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(sys.argv[1] if len(sys.argv) > 1 else latest_stamp()))
