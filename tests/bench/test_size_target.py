"""The benchmark's size target: a page may be no more than 1.2 times slower at 200,000
posts than at 20,000, judged so that the machine's own drift between the two halves of a
run neither hides a slowdown nor invents one."""
from bench.report import comparison_table, size_target_met
from bench.summary import verdicts


def row(page: str, rps: float, fastest_ms: float, statements: int = 7) -> dict:
    return {"page": page, "rps": rps, "p50_ms": 8000 / rps, "p99_ms": 12000 / rps, "statements": statements,
            "render_ms": fastest_ms * 1.1, "fastest_ms": fastest_ms, "errors": 0}


CEILING_20K = row("minimal endpoint (/healthz)", 900, 1.0, 3)
# The whole machine 1.7 times slower in the second half: the page that reads no posts too.
CEILING_200K = row("minimal endpoint (/healthz)", 530, 1.0, 3)


def test_a_page_slowed_only_as_much_as_the_machine_meets_the_target():
    small, large = row("discussion", 170, 9.0), row("discussion", 100, 9.2)

    assert size_target_met(small, large, CEILING_20K, CEILING_200K)


def test_a_page_that_costs_twice_as_much_in_process_misses_though_served_it_kept_pace():
    # Served, most of a cheap page's cost is what every request pays, so doubling its own
    # work moved it no more than the ceiling's drift did.
    small, large = row("search", 246, 4.4, 5), row("search", 141, 9.7, 5)

    assert not size_target_met(small, large, CEILING_20K, CEILING_200K)
    assert verdicts(large, small, CEILING_20K, CEILING_200K) == ["p99", "size"]


def test_a_page_served_slower_than_the_machine_explains_misses():
    small, large = row("call", 180, 7.0), row("call", 80, 7.1)

    assert not size_target_met(small, large, CEILING_20K, CEILING_200K)


def test_other_statements_at_the_larger_size_miss_and_say_so():
    small, large = row("home", 440, 2.7, 6), row("home", 260, 2.7, 7)

    assert not size_target_met(small, large, CEILING_20K, CEILING_200K)
    assert "statements" in verdicts(large, small, CEILING_20K, CEILING_200K)


def test_the_comparison_table_shows_the_raw_ratio_beside_the_one_judged():
    table = comparison_table({20000: [CEILING_20K, row("discussion", 170, 9.0)],
                              200000: [CEILING_200K, row("discussion", 100, 9.2)]})

    line = next(line for line in table.splitlines() if line.startswith("| discussion"))
    # raw 1.70x, against the ceiling 1.00x, in-process 1.02x: met.
    assert "| 1.70x | 1.00x | 1.02x | ok |" in line
