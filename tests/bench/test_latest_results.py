"""`bench.summary` shows the newest run of the benchmark by when it ran, not by the age of
its files, which a clone or a checkout sets to the moment each file was written out."""
import json
import os

import pytest

from bench.report import size_table
from bench.summary import latest_stamp, table, verdicts


def write_run(results, stamp: str, database: str, finished_at: str | None = None, age_seconds: int = 0,
              sizes=(20000, 200000)):
    data = {"runs": {str(size): [] for size in sizes}}
    if finished_at:
        data["finished_at"] = finished_at
    path = results / f"{stamp}-{database}.json"
    path.write_text(json.dumps(data))
    when = path.stat().st_mtime - age_seconds
    os.utime(path, (when, when))


def test_the_run_that_finished_last_is_shown_though_its_files_look_older(tmp_path):
    write_run(tmp_path, "2026-12-05-first", "sqlite", "2026-12-05T09:00:00+00:00")
    write_run(tmp_path, "2026-12-05-second", "sqlite", "2026-12-05T14:30:00+00:00", age_seconds=3600)
    write_run(tmp_path, "2026-12-05-second", "postgresql", "2026-12-05T15:10:00+00:00", age_seconds=3600)

    assert latest_stamp(tmp_path) == "2026-12-05-second"


def test_a_later_day_is_newer_than_any_run_of_an_earlier_one(tmp_path):
    write_run(tmp_path, "2026-12-05", "sqlite", "2026-12-05T23:00:00+00:00")
    write_run(tmp_path, "2026-12-06", "sqlite", age_seconds=86400)  # written before times were recorded

    assert latest_stamp(tmp_path) == "2026-12-06"


def test_a_run_that_recorded_its_time_is_newer_than_those_of_its_day_that_did_not(tmp_path):
    write_run(tmp_path, "2026-12-04-fifth", "sqlite")
    write_run(tmp_path, "2026-12-04-sixth", "sqlite", "2026-12-04T16:00:00+00:00", age_seconds=600)

    assert latest_stamp(tmp_path) == "2026-12-04-sixth"


def test_runs_of_one_day_that_cannot_be_told_apart_are_named_for_the_reader_to_choose(tmp_path):
    write_run(tmp_path, "2026-12-04-fourth", "sqlite")
    write_run(tmp_path, "2026-12-04-fifth", "sqlite")
    write_run(tmp_path, "2026-12-03", "sqlite")

    with pytest.raises(SystemExit) as stopped:
        latest_stamp(tmp_path)

    message = str(stopped.value)
    assert "2026-12-04-fifth" in message and "2026-12-04-fourth" in message and "2026-12-03" not in message


def test_a_quick_run_of_one_size_is_not_taken_for_the_latest_comparison(tmp_path):
    write_run(tmp_path, "2026-12-05", "sqlite", "2026-12-05T10:00:00+00:00")
    write_run(tmp_path, "2026-12-05-check", "sqlite", "2026-12-05T11:00:00+00:00", sizes=(20000,))

    assert latest_stamp(tmp_path) == "2026-12-05"
    with pytest.raises(SystemExit, match="measured one size"):
        table("2026-12-05-check", tmp_path)


def test_no_results_and_an_unknown_run_say_so(tmp_path):
    with pytest.raises(SystemExit, match="run `make bench` first"):
        latest_stamp(tmp_path)
    write_run(tmp_path, "2026-12-04", "sqlite")
    with pytest.raises(SystemExit, match="No results of a run called 2026-12-05"):
        table("2026-12-05", tmp_path)


def test_the_bench_table_and_the_summary_judge_share_and_latency_alike():
    ceiling = {"page": "minimal endpoint (/healthz)", "rps": 600, "p50_ms": 12, "p99_ms": 22, "statements": 3,
               "render_ms": 1.0, "fastest_ms": 0.9, "errors": 0}
    # A fifth of the ceiling, and a p99 that would do for a page but not for a search.
    search = {"page": "search “listening”", "rps": 120, "p50_ms": 60, "p99_ms": 80, "statements": 5,
              "render_ms": 10.0, "fastest_ms": 9.0, "errors": 0}

    line = next(line for line in size_table(200000, [ceiling, dict(search)]).splitlines()
                if line.startswith("| search"))
    assert line.endswith("| MISS: share, p99≥50 |")
    assert verdicts(search, search, ceiling) == ["share", "p99"]
