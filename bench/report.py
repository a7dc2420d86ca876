"""The benchmark's table, the targets it is held to, and the results files."""
import json
from pathlib import Path

from bench.pages import CEILING

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {
    "share": 0.25,        # of the minimal endpoint's requests/s
    "p99_ms": 100.0,      # at 8 connections
    "slowdown": 1.2,      # the largest size against the smallest
    "search_p99_ms": 50.0,
}


def _ok(passed: bool) -> str:
    return "ok" if passed else "MISS"


def _ratio(top: float, bottom: float) -> float:
    return top / bottom if bottom else float("inf")


def size_table(size: int, rows: list[dict]) -> str:
    ceiling = next(row for row in rows if row["page"] == CEILING)
    lines = [f"### {size:,} posts", "",
             "| page | req/s | p50 ms | p99 ms | share of ceiling | SQL statements | in-process ms | errors | targets |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in rows:
        share = row["rps"] / ceiling["rps"] if ceiling["rps"] else 0
        row["share"] = share
        misses = []
        if row["page"] != CEILING:
            if share < TARGETS["share"]:
                misses.append("share")
            limit = TARGETS["search_p99_ms"] if row["page"].startswith("search") else TARGETS["p99_ms"]
            if row["p99_ms"] >= limit:
                misses.append(f"p99≥{limit:.0f}")
        if row["errors"]:
            misses.append("errors")
        low, high = row.get("rps_range", (row["rps"], row["rps"]))
        lines.append(f"| {row['page']} | {row['rps']:.0f} ({low:.0f}–{high:.0f}) | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
                     f"{share:.0%} | {row['statements']} | {row['render_ms']:.1f} | {row['errors']} | "
                     f"{'MISS: ' + ', '.join(misses) if misses else 'ok'} |")
    return "\n".join(lines)


def comparison_table(runs: dict[int, list[dict]]) -> str:
    if len(runs) < 2:
        return ""
    small, large = min(runs), max(runs)
    before = {row["page"]: row for row in runs[small]}
    lines = [f"### {large:,} against {small:,} posts", "",
             "| page | req/s ratio | p50 ratio | statements | slowdown target |",
             "| --- | ---: | ---: | --- | --- |"]
    for row in runs[large]:
        old = before.get(row["page"])
        if old is None:
            continue
        slowdown = _ratio(old["rps"], row["rps"])
        same = old["statements"] == row["statements"]
        lines.append(f"| {row['page']} | {_ratio(row['rps'], old['rps']):.2f} | {_ratio(row['p50_ms'], old['p50_ms']):.2f} | "
                     f"{old['statements']} → {row['statements']} {'(same)' if same else '(CHANGED)'} | "
                     f"{_ok(slowdown <= TARGETS['slowdown'] and same)} ({slowdown:.2f}x slower) |")
    return "\n".join(lines)


def render(database: str, machine: dict, runs: dict[int, list[dict]], seconds: float, rounds: int,
           seeding: dict, load_average: dict) -> str:
    parts = [f"## {database}", "", "| machine | |", "| --- | --- |"]
    parts += [f"| {key} | {value} |" for key, value in machine.items()]
    parts += ["", f"Each page: {rounds} rounds of {seconds:.0f} s of load over all the pages in turn, after a "
              "2 s warm-up, signed in as the bench reader, with a new connection for each request; the "
              "table gives the round with the median requests/s (its p50 and p99), and in brackets the "
              "lowest and highest. Statements are counted in-process for one request; in-process ms is "
              "the median of 5 requests through the Flask test client.", ""]
    parts += ["Seeding: " + ", ".join(f"{size:,} posts in {secs:.0f} s" for size, secs in seeding.items()), ""]
    parts += ["Machine load (1-minute average, before → after each size; the bench itself adds about 2): "
              + ", ".join(f"{size:,} posts {start:.1f} → {end:.1f}" for size, (start, end) in load_average.items()),
              ""]
    for size, rows in sorted(runs.items()):
        parts += [size_table(size, rows), ""]
    comparison = comparison_table(runs)
    if comparison:
        parts += [comparison, ""]
    return "\n".join(parts)


def write(stamp: str, database: str, text: str, data: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{stamp}-{database}.md"
    path.write_text(f"# Benchmark {stamp}\n\n{text}\n")
    path.with_suffix(".json").write_text(json.dumps(data, indent=2, default=str) + "\n")
    return path
