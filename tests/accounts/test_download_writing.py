"""Download what I wrote: a member's own words across the forum, as a CSV file a spreadsheet opens."""
import codecs
import csv
import io

from forum.clock import utcnow
from forum.extensions import db
from forum.accounts.services import update_profile
from forum.mentors import reviews, services
from forum.models.posts import Thread
from forum.posts.services import delete_own_post, hide_post
from tests.factories import make_post, make_thread, make_user
from tests.ideas.factories import make_call, make_moderator, post_idea
from tests.mentors.factories import make_listener, make_mentor, make_review

SITE = "http://127.0.0.1:5000"


def download(client):
    return client.submit("/settings/writing.csv")


def rows_of(response) -> list[dict]:
    data = response.get_data()
    # The byte-order mark: without it Excel reads "Zoë" as "ZoÃ«".
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_member_downloads_all_they_wrote_with_where_and_what_and_removed_ones_marked(client):
    moss, rowan = make_moderator("moss"), make_listener("rowan")
    juniper = make_mentor("juniper")
    thread = make_thread("Highs and lows", author=moss)
    first = make_post(rowan, thread, '=HYPERLINK("http://evil.example","Zoë 🌱") my **week**')
    reply = make_post(rowan, thread, "- one high\n- one low", parent=first)
    idea = post_idea(rowan, make_call(moss, title="Welcoming newcomers"), "A *welcome* thread.")
    removed = make_post(rowan, thread, "I regret this one.")
    delete_own_post(rowan, removed)
    hidden = make_post(rowan, thread, "A rant.")
    hide_post(moss, hidden, "Unkind to Ada")
    review = make_review(rowan, juniper, rating=4, body="Patient; @juniper listens.")
    reviews.reply_to_review(juniper.user, review, "Thank you, Rowan.", utcnow())
    make_post(make_user("ada"), thread, "Ada's own words.")
    client.login("rowan")

    response = download(client)

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="what-i-wrote-rowan-{utcnow():%Y-%m-%d}.csv"')
    # Past the display name, undated at the top: what the profile says now.
    rows = rows_of(response)[1:]
    assert [(row["What"], row["Where"], row["Status"]) for row in rows] == [
        ("Post", "“Highs and lows”", ""),
        ("Reply", "“Highs and lows”", ""),
        ("Idea", "the call for ideas “Welcoming newcomers”", ""),
        ("Post", "“Highs and lows”", "Removed by you"),
        ("Post", "“Highs and lows”", "Hidden by a moderator: Unkind to Ada"),
        ("Message", f"“{db.session.get(Thread, review.request.thread_id).title}”", ""),
        ("Review", "the mentor page of Juniper (@juniper)", ""),
    ]
    assert [row["Link"] for row in rows[:5]] == [
        f"{SITE}/posts/{post.id}" for post in (first, reply, idea, removed, hidden)]
    assert rows[6]["Link"] == f"{SITE}/mentors/reviews/{review.id}" and rows[6]["Stars"] == "4"
    # As typed, in Markdown; a spreadsheet must not run a cell that starts like a formula.
    assert rows[0]["Text"] == '\'=HYPERLINK("http://evil.example","Zoë 🌱") my **week**'
    assert rows[1]["Text"] == "'- one high\n- one low"
    assert rows[6]["Text"] == "Patient; @juniper listens."
    assert rows[0]["When (UTC)"] == first.created_at.isoformat(sep=" ", timespec="seconds")
    assert not any("Ada's own words" in row["Text"] for row in rows)

    client.logout()
    client.login("juniper")
    (answer,) = [row for row in rows_of(download(client)) if row["What"] == "Reply to a review"]
    assert answer["Where"] == "Rowan’s review on your mentor page" and answer["Text"] == "Thank you, Rowan."


def test_the_profile_they_wrote_comes_first_bio_and_mentor_page_as_they_stand_now(client):
    juniper = make_mentor("juniper", headline="Steady on hard nights")
    update_profile(juniper.user, display_name="June", bio_md="=I *listen* first.")
    services.edit_section(juniper.user, juniper, "about", "Ten years on a helpline.", hidden=False)
    services.edit_section(juniper.user, juniper, "situations", "Grief, mostly.", hidden=True)
    make_post(juniper.user, make_thread("Open space", author=juniper.user), "A post.")
    client.login("juniper")

    rows = rows_of(download(client))

    profile, mentor_page = f"{SITE}/users/juniper", f"{SITE}/mentors/juniper"
    assert [(row["When (UTC)"], row["What"], row["Where"], row["Link"], row["Status"], row["Text"])
            for row in rows[:5]] == [
        ("", "Display name", "your profile", profile, "", "June"),
        ("", "Bio", "your profile", profile, "", "'=I *listen* first."),
        ("", "Headline", "your mentor page", mentor_page, "", "Steady on hard nights"),
        ("", "Section “About”", "your mentor page", mentor_page, "", "Ten years on a helpline."),
        ("", "Section “Situations I know well”", "your mentor page", mentor_page, "Hidden by you", "Grief, mostly."),
    ]
    assert [row["What"] for row in rows[5:]] == ["Post"]


def test_the_download_costs_the_same_statements_for_a_mentor_with_many_posts_as_for_one_post(app, count_queries):
    moss = make_moderator("moss")
    thread, call = make_thread("Open space", author=moss), make_call(moss)
    make_post(make_user("few"), thread, "Just one.")
    many = make_mentor("many")
    services.edit_section(many.user, many, "about", "Ask me anything.", hidden=False)
    many = many.user
    for number in range(12):
        post = make_post(many, thread, f"Post number {number}.")
        make_post(many, thread, f"A reply to number {number}.", parent=post)
    post_idea(many, call, "An idea too.")
    costs = {}
    for name in ("few", "many"):
        client = app.test_client()
        client.login(name)
        token = client.csrf_token()
        with count_queries() as counter:
            response = client.post("/settings/writing.csv", data={"csrf_token": token})
        # A display name and a post; a display name, a mentor page's headline and section, 25 posts.
        assert len(rows_of(response)) == (2 if name == "few" else 28)
        costs[name] = counter.count
    assert costs["many"] == costs["few"]
