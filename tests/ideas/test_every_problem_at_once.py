"""Opening or editing a call for ideas tells every mistake at once, each beside its field,
with what was typed kept: not one per send."""
import re

from sqlalchemy import func, select

from forum.extensions import db
from forum.models.ideas import IdeaCall
from tests.factories import make_user
from tests.html_checks import box_value, error_beside, error_summary
from tests.ideas.factories import make_call, make_moderator, post_idea

QUESTION = ("What would help while people wait? " * 300)[:-1] + "!"  # 10,500 characters


def test_a_call_opened_with_no_title_and_too_long_a_question_is_told_both(client):
    make_moderator("moss")
    client.login("moss")
    response = client.submit("/ideas/new", {"title": "  ", "question": QUESTION, "audience": "everyone",
                                            "required_badge": ""})
    assert response.status_code == 422
    assert error_beside(response.page, "title") == "Give it a title."
    assert error_beside(response.page, "question") == "Keep the question under 10,000 characters (this is 10,500)."
    assert QUESTION in response.page  # the question kept, to shorten
    assert db.session.scalar(select(func.count()).select_from(IdeaCall)) == 0


def test_an_edit_with_no_question_a_too_long_title_and_a_settled_audience_is_told_all_three(client):
    call = make_call(make_moderator("moss"), "Ideas for the welcome week", question="What helps?")
    post_idea(make_user("ana"), call)
    client.login("moss")
    title = "A calmer waiting room " * 10  # 220 characters
    response = client.submit(f"/ideas/{call.thread_id}/edit", {"title": title, "question": "", "audience": "adult",
                                                               "required_badge": ""})
    assert response.status_code == 422
    assert error_beside(response.page, "title").startswith("Keep the title under 200 characters")
    assert error_beside(response.page, "question").startswith("Ask the community a question")
    # The page shows who may take part as fixed words, not a menu; a hand-made request changing it is told
    # why beside those words, and the list of problems above the form links there.
    refusal = re.search(r'<p class="error" id="who-may-take-part">(.*?)</p>', response.page, re.S)
    assert refusal and refusal.group(1).startswith("Ideas have been written in this call")
    assert [target for target, words in error_summary(response.page)
            if words.startswith("Who may take part: ideas have been written")] == ["who-may-take-part"]
    assert box_value(response.get_data(as_text=True), "title") == title
    db.session.expire_all()
    stored = db.session.get(IdeaCall, call.thread_id)
    assert (stored.thread.title, stored.thread.audience) == ("Ideas for the welcome week", "everyone")
