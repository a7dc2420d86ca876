"""The benchmark reads wrk's report: requests/s, percentiles in any unit, and failures."""
from bench.load import LoadResult, median_run, parse_wrk

REPORT = """Running 10s test @ http://127.0.0.1:41234/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.31ms    4.02ms  81.00ms   90.00%
  Latency Distribution
     50%   11.50ms 
     75%   13.00ms
     90%   16.00ms
     99%    1.20s 
  6512 requests in 10.00s, 51.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    651.20
Transfer/sec:      5.10MB
"""


def test_a_wrk_report_is_read_with_its_units_and_failures():
    result = parse_wrk(REPORT)

    assert result.requests_per_second == 651.2
    assert result.p50_ms == 11.5
    assert result.p99_ms == 1200.0
    assert (result.requests, result.errors) == (6512, 7)


def test_a_run_where_nothing_finished_reads_as_no_throughput():
    result = parse_wrk("  0 requests in 2.00s, 0.00B read\nRequests/sec:      0.00\n")

    assert result.requests_per_second == 0 and result.p99_ms == float("inf")


def test_the_median_round_is_reported_not_the_luckiest():
    rounds = [LoadResult(62.0, 120.0, 300.0, 620, 0), LoadResult(30.0, 250.0, 400.0, 300, 0),
              LoadResult(58.0, 130.0, 350.0, 580, 0)]
    assert median_run(rounds).requests_per_second == 58.0
    # With an even count, the lower middle: the report errs on the slow side.
    assert median_run(rounds[:2]).requests_per_second == 30.0
