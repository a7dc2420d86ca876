"""A trainer's long paste is never cut short by the browser: the text boxes carry no
maxlength (the one-line boxes' is the real limit), and the service refuses with its
limit and the count, the text kept in the box."""
import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models.training import Discussion, Program
from tests.training.factories import make_program, make_trainer

PROGRAM_FIELDS = {"title": "Group Support Basics", "slug": "", "summary_md": "Learn together.",
                  "audience": "adult", "required_badge": "", "awarded_badge": "", "save": "Save"}
DISCUSSION_FIELDS = {"title": "Discussion 1: Hello", "lesson_md": "Read this.", "prompt": "Share 3 highs.",
                     "response_template": "3 highs:", "min_words": "20", "required_peer_replies": "2",
                     "save": "Save"}


def box(page: str, tag: str, name: str) -> str:
    found = re.findall(rf'<{tag}[^>]*\bname="{name}"[^>]*>', page)
    assert len(found) == 1, f"no single {tag} named {name}"
    return found[0]


def pasted(length: int) -> str:
    return ("A long and careful paste. " * (length // 20 + 1))[:length].strip()


def test_the_boxes_cut_nothing_and_one_line_boxes_stop_at_the_real_limit(client):
    program = make_program(make_trainer("tova"), discussions=0, published=False)
    client.login("tova")
    for page, names in (("/programs/new", ("summary_md",)),
                        (f"/programs/{program.slug}/discussions/new", ("lesson_md", "prompt", "response_template"))):
        html = client.get(page).page
        assert 'maxlength="120"' in box(html, "input", "title")
        for name in names:
            assert "maxlength" not in box(html, "textarea", name)
    assert 'maxlength="60"' in box(client.get("/programs/new").page, "input", "slug")


@pytest.mark.parametrize("field, length, message", [
    ("prompt", 700, "Keep a prompt under 500 characters"),
    ("response_template", 2500, "Keep this under 2,000 characters"),
    ("lesson_md", 50_100, "Keep this under 50,000 characters"),
])
def test_a_long_discussion_text_is_refused_with_the_real_limit_and_kept(client, field, length, message):
    program = make_program(make_trainer("tova"), discussions=0, published=False)
    client.login("tova")
    text = pasted(length)
    response = client.submit(f"/programs/{program.slug}/discussions/new", {**DISCUSSION_FIELDS, field: text})
    assert f"{message} (" in response.page and f"{len(text):,})." in response.page
    assert text in response.page
    assert db.session.scalar(select(func.count(Discussion.id))) == 0


def test_a_long_summary_is_refused_with_the_real_limit_and_kept(client):
    make_trainer("tova")
    client.login("tova")
    summary = pasted(50_100)
    response = client.submit("/programs/new", {**PROGRAM_FIELDS, "summary_md": summary})
    assert f"Keep this under 50,000 characters (this is {len(summary):,})." in response.page
    assert summary in response.page
    assert db.session.scalar(select(func.count(Program.id))) == 0
