"""Drive a served forum with wrk (a separate process) and read its numbers."""
import http.cookiejar
import re
import shutil
import subprocess
import urllib.parse
import urllib.request
from dataclasses import dataclass

CONNECTIONS = 8
WRK_THREADS = 2
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')


@dataclass
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def median_run(runs: list[LoadResult]) -> LoadResult:
    """The run with the median requests/s (the lower middle of an even count): single runs
    on a shared machine vary by a third or more, and one slow or lucky run says little."""
    ordered = sorted(runs, key=lambda run: run.requests_per_second)
    return ordered[(len(ordered) - 1) // 2]


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (make bench does it when it can).")
    return wrk


def signed_in_cookie(base_url: str, username: str, password: str) -> str:
    """Sign in over HTTP as a browser would; return the Cookie header the load generator sends."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base_url + "/login", timeout=30).read().decode()
    match = _CSRF.search(page)
    token = match.group(1) or match.group(2)
    data = urllib.parse.urlencode({"login": username, "password": password, "csrf_token": token}).encode()
    opener.open(urllib.request.Request(base_url + "/login", data=data), timeout=30).read()
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
    if "session=" not in cookies:
        raise RuntimeError("signing in did not give a session cookie")
    return cookies


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def run_wrk(url: str, seconds: float, cookie: str) -> LoadResult:
    # A new connection for each request, as the reverse proxy in front of the forum makes
    # (nginx's default towards its upstream). With keep-alive, a gunicorn gthread worker
    # can take all 8 connections and serve them on one core while the others idle: the
    # same page then measured 62 requests/s in one run and 30 in the next.
    command = [require_wrk(), f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{int(seconds)}s", "--latency",
               "--timeout", "10s", "-H", f"Cookie: {cookie}", "-H", "Connection: close", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> LoadResult:
    """Read requests/s, the 50th and 99th percentile latencies and failures from wrk --latency."""
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.M))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(n) for n in socket_errors.groups())
    if not percentiles:  # no request finished in time
        return LoadResult(0.0, float("inf"), float("inf"), requests, failed)
    return LoadResult(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
                      _milliseconds(percentiles["50"]), _milliseconds(percentiles["99"]), requests, failed)
