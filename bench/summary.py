"""The README's table of the latest figures, read from the results `make bench` wrote:

    .venv/bin/python -m bench.summary [stamp]     (default: the newest results)

One row per page and database: throughput at both sizes, latency and the share of the
minimal endpoint at the larger size, statements at both sizes, and each target met or
missed, as `bench.report` judges them.
"""
import json
import sys

from bench.pages import CEILING
from bench.report import RESULTS, TARGETS


def latest_stamp() -> str:
    """The stamp of the newest results file (stamps carry optional labels, so not by name)."""
    results = [path for path in RESULTS.glob("*.json") if path.stem.rsplit("-", 1)[-1] in ("sqlite", "postgresql")]
    if not results:
        raise SystemExit("No results in bench/results/: run `make bench` first.")
    return max(results, key=lambda path: path.stat().st_mtime).stem.rsplit("-", 1)[0]


def verdicts(row: dict, small: dict, ceiling_rps: float) -> list[str]:
    misses = []
    if row["rps"] / ceiling_rps < TARGETS["share"]:
        misses.append("share")
    limit = TARGETS["search_p99_ms"] if row["page"].startswith("search") else TARGETS["p99_ms"]
    if row["p99_ms"] >= limit:
        misses.append("p99")
    if small["rps"] / row["rps"] > TARGETS["slowdown"]:
        misses.append("size")
    if small["statements"] != row["statements"]:
        misses.append("statements")
    return misses


def table(stamp: str) -> str:
    lines = ["| database | page | req/s 20k → 200k | p50 / p99 ms at 200k | share at 200k | statements | misses |",
             "| --- | --- | ---: | ---: | ---: | ---: | --- |"]
    for database in ("sqlite", "postgresql"):
        path = RESULTS / f"{stamp}-{database}.json"
        if not path.exists():
            continue
        runs = json.loads(path.read_text())["runs"]
        sizes = sorted(runs, key=int)
        small, large = runs[sizes[0]], runs[sizes[-1]]
        by_page = {row["page"]: row for row in small}
        ceiling = next(row for row in large if row["page"] == CEILING)
        for row in large:
            before = by_page[row["page"]]
            misses = [] if row["page"] == CEILING else verdicts(row, before, ceiling["rps"])
            statements = (f"{row['statements']}" if before["statements"] == row["statements"]
                          else f"{before['statements']} → {row['statements']}")
            lines.append(f"| {database} | {row['page']} | {before['rps']:.0f} → {row['rps']:.0f} | "
                         f"{row['p50_ms']:.0f} / {row['p99_ms']:.0f} | {row['rps'] / ceiling['rps']:.0%} | "
                         f"{statements} | {', '.join(misses) or '—'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(sys.argv[1] if len(sys.argv) > 1 else latest_stamp()))
