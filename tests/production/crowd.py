"""A crowd of signed-in people reading and posting at once, each on their own keep-alive
connection, for a bounded time. It keeps score: every status seen, anything unexpected,
and every post the forum acknowledged (its body and the id it redirected to)."""
import random
import re
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field

from tests.production.web_user import Answer, WebUser, csrf_token, submission_token

POST_ANCHOR = re.compile(r'id="post-(\d+)"')
BODY_PREFIX = "Crowd note"


@dataclass
class CrowdReport:
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    surprises: list[str] = field(default_factory=list)
    acknowledged: dict[str, int] = field(default_factory=dict)  # body -> post id
    resent: int = 0
    reconnects: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def expect(self, what: str, answer: Answer, status: int) -> bool:
        with self.lock:
            self.statuses[answer.status] += 1
            if answer.status >= 500:
                self.server_errors.append(f"{what}: {answer.status}")
            elif answer.status != status:
                self.surprises.append(f"{what}: {answer.status}, expected {status}")
        return answer.status == status

    def acknowledge(self, what: str, body: str, post_id: int | None) -> None:
        with self.lock:
            if post_id is None:
                self.surprises.append(f"{what}: not redirected to the new post")
            elif self.acknowledged.setdefault(body, post_id) != post_id:
                self.surprises.append(f"{what}: sent twice, acknowledged as two posts")

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())


class Person:
    def __init__(self, base_url: str, username: str, thread_ids: list[int], report: CrowdReport, seed: int):
        self.user = WebUser(base_url)
        self.username = username
        self.thread_ids = thread_ids
        self.report = report
        self.random = random.Random(seed)
        self.written = 0

    def spend(self, deadline: float) -> None:
        try:
            if not self.report.expect(f"{self.username} signs in", self.user.sign_in(self.username), 302):
                return
            while time.monotonic() < deadline:
                self.act()
        except Exception:  # a broken connection or a page without its form: keep it for the report
            with self.report.lock:
                self.report.surprises.append(f"{self.username}: {traceback.format_exc(limit=3)}")
        finally:
            self.user.close()
            with self.report.lock:
                self.report.reconnects += self.user.retries

    def act(self) -> None:
        roll = self.random.random()
        thread_path = f"/threads/{self.random.choice(self.thread_ids)}"
        if roll < 0.15:
            self.report.expect("front page", self.user.get("/"), 200)
        elif roll < 0.55:
            self.report.expect("thread page", self.user.get(thread_path), 200)
        elif roll < 0.80:
            self.write(thread_path, f"{thread_path}/posts")
        else:
            page = self.user.get(thread_path)
            if self.report.expect("thread page", page, 200):
                post_id = self.random.choice(POST_ANCHOR.findall(page.body))
                self.write(thread_path, f"/posts/{post_id}/replies", page)

    def write(self, page_path: str, form_path: str, page: Answer | None = None) -> None:
        if page is None:
            page = self.user.get(page_path)
            if not self.report.expect("page with a form", page, 200):
                return
        self.written += 1
        body = f"{BODY_PREFIX} {self.written} from {self.username}."
        form = {"body": body, "csrf_token": csrf_token(page.body), "submission_token": submission_token(page.body)}
        sent = self.user.post(form_path, form)
        if self.report.expect(f"POST {form_path}", sent, 302):
            self.report.acknowledge(f"POST {form_path}", body, sent.post_id)
        if self.random.random() < 0.1:  # a double click: the same form again
            again = self.user.post(form_path, form)
            with self.report.lock:
                self.report.resent += 1
            if self.report.expect(f"POST {form_path} again", again, 302):
                self.report.acknowledge(f"POST {form_path} again", body, again.post_id)


def run_crowd(base_url: str, usernames: list[str], thread_ids: list[int], seconds: float) -> CrowdReport:
    """One thread per person, all at once, until `seconds` have passed (plus the requests
    in flight then, each bounded by the connection timeout)."""
    report = CrowdReport()
    deadline = time.monotonic() + seconds
    people = [Person(base_url, name, thread_ids, report, seed) for seed, name in enumerate(usernames)]
    workers = [threading.Thread(target=person.spend, args=(deadline,), name=f"crowd-{person.username}")
               for person in people]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=max(0.0, deadline - time.monotonic()) + 60)
    stuck = [worker.name for worker in workers if worker.is_alive()]
    if stuck:
        report.surprises.append(f"{len(stuck)} people still waiting 60 s after the end: {stuck[:5]}")
    return report
