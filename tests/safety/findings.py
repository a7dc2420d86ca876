"""What the hostile-input tests share: a collector of failures named by label, and
helpers that submit a form the way a browser would and load every page of a list.

A run throws the whole corpus (tests/safety/hostile_inputs.py) before asserting, so one
failing test names every input that broke a field, not just the first."""
import re

from tests.safety.hostile_inputs import markup_problems

# Answers that are not the form again: not found, not allowed, too large for any form.
NOT_A_FORM = (404, 405, 413)
NUL_WORDS = "NUL character"


class Findings:
    """Collects what went wrong across the corpus, so one run names every failure."""

    def __init__(self):
        self.failures: list[str] = []

    def check(self, response, label: str) -> None:
        """No server error, and nothing in the page that could run."""
        if response.status_code >= 500:
            self.failures.append(f"{label}: status {response.status_code}")
            return
        problems = markup_problems(response.get_data(as_text=True))
        if problems:
            self.failures.append(f"{label}: {problems}")

    def submitted(self, response, label: str, typed: str | None = None, *, keeps: bool = True) -> bool:
        """Check the answer to a form; True when it was accepted (a redirect).

        A refused form must come back with what was typed in `typed` (unless `keeps` is
        False: a choice, a hidden field); a NUL character is refused before any form,
        with a page that says so in plain words."""
        self.check(response, label)
        status = response.status_code
        if status in (301, 302, 303) or status >= 500 or status in NOT_A_FORM or not typed:
            return status in (301, 302, 303)
        if "\x00" in typed:
            if status != 400 or NUL_WORDS not in response.page:
                self.failures.append(f"{label}: a NUL was not refused in plain words (status {status})")
        elif keeps and typed not in response.page:
            self.failures.append(f"{label}: refused ({status}) without the typed text")
        return False

    def note(self, message: str) -> None:
        self.failures.append(message)

    def assert_none(self) -> None:
        assert not self.failures, "\n".join(self.failures)


def every_page(client, first: str, findings: Findings, label: str) -> None:
    """Check a paginated page and every page after it."""
    response = client.get(first)
    findings.check(response, label)
    pages = {int(n) for n in re.findall(r"[?&]page=(\d+)", response.get_data(as_text=True))}
    separator = "&" if "?" in first else "?"
    for number in sorted(pages - {1}):
        findings.check(client.get(f"{first}{separator}page={number}"), f"{label} page {number}")
