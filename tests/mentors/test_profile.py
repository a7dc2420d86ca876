"""Mentor profiles: settings, tags and hours; sections in Markdown, reordered and hidden; reviews."""
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models.mentors import MentorProfile, ProfileSection
from tests.factories import make_user
from tests.html_checks import error_beside, error_summary
from tests.ideas.pages import visible_text
from tests.mentors.factories import SETTINGS, make_listener, make_mentor, make_review


def section(profile, kind) -> ProfileSection:
    return next(s for s in profile.sections if s.kind == kind)


@pytest.fixture
def juniper(client):
    profile = make_mentor("juniper")
    client.login("juniper")
    return profile


def test_a_mentor_sets_tags_audience_zone_and_hours(client, juniper):
    response = client.submit("/mentors/me/edit", SETTINGS)
    assert response.status_code == 302
    db.session.refresh(juniper)
    assert [t.name for t in juniper.tags_of("knowledge")] == ["Grief", "Loneliness", "Panic", "Self-care"]
    assert (juniper.mentors_teens, juniper.mentors_adults, juniper.timezone) == (False, True, "America/Sao_Paulo")
    assert len(juniper.slots) == 4
    page = client.get("/mentors/juniper").page
    assert "Steady voice for hard nights" in page and "Speaks English, Portuguese" in page
    assert "America/Sao Paulo" in page and "Monday 19:00–21:00" in page and "Monday 22:00–24:00" in page
    form = client.get("/mentors/me/edit").page
    assert "Grief, Loneliness, Panic, Self-care" in form and "Mon 19:00-21:00" in form
    card = client.get("/mentors").page
    assert 'tag-knowledge">Panic<' in card and 'tag-knowledge">Self-care<' not in card  # the top three only


def test_a_reader_with_a_time_zone_reads_a_mentors_hours_on_their_own_clock(client, juniper):
    client.submit("/mentors/me/edit", SETTINGS)  # Monday 19:00-21:00 in São Paulo (UTC-3, no summer time)
    make_listener("lee").time_zone = "Asia/Kolkata"  # UTC+5:30
    db.session.commit()
    client.logout()
    client.login("lee")
    page = client.get("/mentors/juniper").page
    assert "Your time (Kolkata)" in page
    assert "Tuesday 03:30–05:30" in page  # 22:00 UTC on Monday
    assert "Monday 22:00–24:00" not in page  # no UTC column for someone who reads their own clock



def test_tags_are_shared_between_mentors_whatever_the_spelling(client, juniper):
    make_mentor("oakley", knowledge="GRIEF")
    client.submit("/mentors/me/edit", {**SETTINGS, "knowledge": "grief"})
    db.session.refresh(juniper)
    assert [t.name for t in juniper.tags_of("knowledge")] == ["GRIEF"]
    assert sorted(p.user.username for p in db.session.scalars(select(MentorProfile))) == ["juniper", "oakley"]
    page = client.get("/mentors?knowledge=grief").page
    assert "Juniper" in page and "Oakley" in page


@pytest.mark.parametrize("changes, message", [
    ({"hours": "Mon 20:00-18:00"}, "the end comes before the start"),
    ({"hours": "sometimes"}, "doesn't read as weekly hours"),
    ({"timezone": "Mars/Base"}, "Choose your time zone from the list."),
    ({"tracks": ", ".join(f"Track {n}" for n in range(7))}, "Name at most 6 tracks"),
    ({"knowledge": "x" * 41}, "keep each name under 40 characters"),
    ({"headline": "h" * 121}, "Keep the headline under 120 characters (this is 121)."),
    ({"mentors_adults": ""}, "Choose whom you mentor"),
])
def test_settings_that_do_not_make_sense_are_refused_and_nothing_changes(client, juniper, changes, message):
    data = {key: value for key, value in {**SETTINGS, **changes}.items() if value != ""}
    response = client.submit("/mentors/me/edit", data)
    assert response.status_code == 422
    assert message in response.page
    assert data["hours"] in response.page  # what was typed is still there
    db.session.refresh(juniper)
    assert juniper.headline == "Here to help" and juniper.slots == []


@pytest.mark.parametrize("field, value, message", [
    ("tracks", ", ".join(f"Track {n}" for n in range(7)), "Name at most 6 tracks"),
    ("languages", ", ".join(f"Language {n}" for n in range(7)), "Name at most 6 languages"),
    ("knowledge", "x" * 41, "keep each name under 40 characters"),
    ("tracks", "Listening, !!!", "“!!!” needs at least one letter or digit."),
])
def test_a_list_of_tags_that_does_not_make_sense_is_explained_beside_its_field(client, juniper, field, value,
                                                                               message):
    response = client.submit("/mentors/me/edit", {**SETTINGS, field: value})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and message in response.page


def test_teen_mentors_mentor_teens_only(client):
    make_mentor("fern", age_group="teen")
    client.login("fern")
    response = client.submit("/mentors/me/edit", {**SETTINGS, "mentors_teens": "y"})
    assert response.status_code == 422 and "Teen mentors mentor teens only." in response.page
    # A teen has no box for adults: the list above the form links to the words saying why.
    assert error_summary(response.page) == [("mentors_adults-hint",
                                             "I mentor adult listeners: teen mentors mentor teens only.")]
    assert 'id="mentors_adults-hint"' in response.page
    # The form offers no box that could only be refused; it says why instead.
    form = client.get("/mentors/me/edit").page
    assert "I mentor adult listeners" not in form and 'name="mentors_adults"' not in form
    assert "I mentor teen listeners" in form and "As a teen, you mentor teens only." in form


def test_sections_in_markdown_empty_ones_left_out(client, juniper):
    client.submit("/mentors/me/sections/situations", {"body": "- Members who go **quiet**\n- Crisis handovers"})
    page = client.get("/mentors/juniper").page
    assert "<h2 id=\"heading-situations\">Situations I know well</h2>" in page
    assert "<strong>quiet</strong>" in page
    assert "How I can help" not in page  # still empty


def test_hidden_sections_are_not_shown(client, juniper):
    client.submit("/mentors/me/sections/about", {"body": "I listen at night.", "hidden": "y"})
    assert "I listen at night." not in client.get("/mentors/juniper").page
    assert "About Hidden from readers Edit" in visible_text(client.get("/mentors/me/sections"))
    client.submit("/mentors/me/sections/about/visibility", {"hidden": "0"})
    assert "I listen at night." in client.get("/mentors/juniper").page
    # Emptied and hidden, it says both: showing it again would show nothing.
    client.submit("/mentors/me/sections/about", {"body": "", "hidden": "y"})
    assert ("About Hidden from readers, and empty: it would not show even if you showed it"
            in visible_text(client.get("/mentors/me/sections")))


def test_sections_move_up_and_down(client, juniper):
    for kind, words in (("about", "About words"), ("how_i_help", "Help words")):
        client.submit(f"/mentors/me/sections/{kind}", {"body": words})
    for _ in range(5):
        client.submit("/mentors/me/sections/how_i_help/move", {"direction": "up"})
    page = client.get("/mentors/juniper").page
    assert page.index("Help words") < page.index("About words")
    db.session.refresh(juniper)
    ordered = sorted(juniper.sections, key=lambda s: s.position)
    assert [s.kind for s in ordered][:2] == ["how_i_help", "about"]
    assert sorted(s.position for s in ordered) == list(range(6))


@pytest.mark.parametrize("path, data", [
    ("/mentors/me/sections/secrets", {"body": "x"}),
    ("/mentors/me/sections/secrets/move", {"direction": "up"}),
])
def test_unknown_sections_are_a_404(client, juniper, path, data):
    assert client.submit(path, data).status_code == 404


def test_a_bad_move_is_a_400(client, juniper):
    response = client.submit("/mentors/me/sections/about/move", {"direction": "sideways"})
    assert response.status_code == 400


def test_only_mentors_edit_a_mentor_profile(client):
    make_listener("rowan")
    client.login("rowan")
    assert client.get("/mentors/me/edit").status_code == 403
    assert client.get("/mentors/me/sections").status_code == 403


def test_a_mentor_without_a_profile_gets_one_on_first_visit(client):
    make_user("sol", role=("listener", "mentor"))
    client.login("sol")
    response = client.get("/mentors/me")
    assert response.headers["Location"] == "/mentors/sol"
    assert client.get("/mentors/sol").status_code == 200
    assert db.session.scalar(select(MentorProfile)).user.username == "sol"


def test_marking_oneself_available_and_stopping(client, juniper):
    client.submit("/mentors/me/available", {"hours": "2"})
    db.session.refresh(juniper)
    assert juniper.available_now and juniper.available_until is not None
    assert "You show as available until" in client.get("/mentors/juniper").page
    client.submit("/mentors/me/available", {"hours": "0"})
    db.session.refresh(juniper)
    assert not juniper.available_now
    assert client.submit("/mentors/me/available", {"hours": "99"}).status_code == 400


def test_the_time_a_mentor_shows_as_available_until_is_in_their_own_time_zone(client):
    # "until 03:54 UTC" read as one hour to a mentor in Madrid who chose two.
    profile = make_mentor("juniper", timezone="Europe/Madrid")
    client.login("juniper")
    client.submit("/mentors/me/available", {"hours": "2"})
    db.session.refresh(profile)
    local = profile.available_until.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("Europe/Madrid"))
    page = client.get("/mentors/juniper").page
    assert "You show as available until <time" in page and f">{local:%H:%M} (Europe/Madrid time)</time>." in page


def test_a_mentor_taking_no_mentees_is_told_active_now_leaves_them_out(client):
    make_mentor("oakley", accepting=False)
    client.login("oakley")
    response = client.get("/mentors/oakley")
    page = response.page
    # "Active now" lists mentors taking mentees only: the buttons would promise a place there.
    assert "Available for 2 hours" not in page and "Show in “Active now”" not in page
    assert 'href="/mentors/me/edit">Take mentees again' in page
    # The header's mark is what others see while the mentor is around: the words must not
    # say it is gone (they said "“Active now” leaves you out." above that very mark).
    assert "Active now</span>" in page
    make_listener("pia")
    client.logout()
    client.login("pia")
    assert "Active now</span>" in client.get("/mentors/oakley").page
    assert ("While you take no new mentees, the “Active now” list of mentors to ask leaves you out. "
            "Your page still shows “Active now” to others while you are around.") in visible_text(response)


def test_reviews_show_their_distribution_and_page(client):
    oakley = make_mentor("oakley")
    for number in range(11):
        make_review(make_listener(f"mentee{number}"), oakley, rating=5 if number < 8 else 2,
                    body=f"Review number {number}.")
    page = client.get("/mentors/oakley").page
    assert "(11 reviews)" in page
    assert "<th scope=\"row\">5 stars</th>" in page and "<td>8</td>" in page and "<td>3</td>" in page
    assert "Review number 10." in page and "Review number 0." not in page
    assert "Review number 0." in client.get("/mentors/oakley?page=2").page
    # The next page opens at the reviews, not at the top of the profile above them.
    assert 'href="/mentors/oakley?page=2#reviews">Next' in page



def test_a_page_of_reviews_past_the_last_points_back_rather_than_saying_there_are_none(client):
    oakley = make_mentor("oakley")
    make_review(make_listener("rowan"), oakley, body="Steady and kind.")
    page = client.get("/mentors/oakley?page=3").page  # an old link, from before a review was hidden
    assert "No reviews yet" not in page
    assert "There is only 1 page:" in page and 'href="/mentors/oakley?page=1#reviews"' in page


def test_an_unknown_mentor_is_a_404(client):
    make_user("pebble")
    assert client.get("/mentors/pebble").status_code == 404
    assert client.get("/mentors/nobody").status_code == 404


def byline_of(page: str, review_id: int) -> str:
    article = page.split(f'id="review-{review_id}"')[1].split("</article>")[0]
    return article.split('<span class="byline">')[1].split("</span>\n  </span>")[0]


def test_a_reviews_byline_shows_its_authors_roles_and_badges_as_everywhere(client):
    from forum.accounts.staff import award_badge, create_badge, grant_role

    oakley = make_mentor("oakley")
    wren = make_listener("wren")
    grant_role(wren, "trainer")
    award_badge(wren, create_badge(slug="listening-101", name="Listening 101", icon="🎧"))
    award_badge(wren, create_badge(slug="night-owl", name="Night owl", icon="🦉"))
    review = make_review(wren, oakley)
    byline = byline_of(client.get("/mentors/oakley").get_data(as_text=True), review.id)
    # Roles by name without "member", badges in the order they were awarded: as User has them.
    db.session.refresh(wren)
    assert wren.shown_roles == ("listener", "trainer")
    assert wren.badge_marks == (("🎧", "Listening 101"), ("🦉", "Night owl"))
    assert byline.index("role-listener") < byline.index("role-trainer") and "role-member" not in byline
    assert byline.index("Listening 101 badge") < byline.index("Night owl badge")
    assert ">Wren</a>" in byline and "@wren" in byline


def test_hidden_reviews_count_on_the_pager_only_for_whom_sees_them(client):
    from forum.clock import utcnow
    from forum.mentors.review_flags import hide_review

    oakley = make_mentor("oakley")
    moderator = make_user("mara", role="moderator")
    written = [make_review(make_listener(f"mentee{number}"), oakley, rating=4, body=f"Review number {number}.")
               for number in range(11)]
    hide_review(moderator, written[0], "Names a mentee", utcnow())
    # A stranger sees ten reviews and no second page; the distribution leaves the hidden one out.
    page = client.get("/mentors/oakley").page
    assert "(10 reviews)" in page and "<td>10</td>" in page and 'rel="next"' not in page
    # Its author and the moderators see eleven: the hidden one is alone on page 2.
    for person in ("mentee0", "mara"):
        client.login(person)
        first = client.get("/mentors/oakley").page
        assert 'rel="next"' in first and "Review number 0." not in first and "<td>10</td>" in first
        second = client.get("/mentors/oakley?page=2").page
        assert "Review number 0." in second and "Hidden by a moderator: Names a mentee" in second
        client.submit("/logout")
    assert "Review number" not in client.get("/mentors/oakley?page=3").page


def test_a_teen_mentor_who_pauses_mentoring_still_reaches_their_own_page(client):
    """Teens see mentors of teens only; a teen mentor who ticks neither group (a pause) is
    still the page's owner, and needs it to tick one again."""
    make_mentor("indigo", age_group="teen", teens=False, adults=False, accepting=False)
    client.login("indigo")
    response = client.get("/mentors/me", follow_redirects=True)
    assert response.status_code == 200 and "Here to help" in response.page
    assert client.get("/mentors/me/edit").status_code == 200
    client.logout()
    make_listener("kit", age_group="teen")
    client.login("kit")
    assert client.get("/mentors/indigo").status_code == 404


def test_settings_with_several_mistakes_are_told_all_at_once_beside_their_fields(client, juniper):
    # A long headline, a tag with no letters, hours that don't read as hours and a box
    # left unticked: four fields to fix, told on the first send rather than one per send.
    data = {**SETTINGS, "headline": "Steady " * 30, "tracks": "Listening, !!!", "hours": "Mondays after dinner",
            "mentors_adults": ""}
    data = {key: value for key, value in data.items() if value != ""}
    response = client.submit("/mentors/me/edit", data)
    assert response.status_code == 422
    assert error_beside(response.page, "headline").startswith("Keep the headline under")
    assert error_beside(response.page, "tracks") == "“!!!” needs at least one letter or digit."
    assert error_beside(response.page, "hours").startswith("“Mondays after dinner” doesn't read as weekly hours")
    # Said in "Whom you mentor", under its boxes.
    assert '<p class="error">Choose whom you mentor (teens, adults or both) to take mentees.</p>' in response.page
    assert "Mondays after dinner</textarea>" in response.page and 'value="Listening, !!!"' in response.page
    # Without JavaScript the page comes back at its top, the hours far below: a list there
    # names each field to fix and links to it ("Whom you mentor" has words, not a box).
    summary = error_summary(response.page)
    assert [target for target, _ in summary] == ["headline", "tracks", "mentors_teens-hint", "hours"]
    assert summary[3][1].startswith("Weekly hours, in your time zone: “Mondays after dinner” doesn't read as")
    assert all(f'id="{target}"' in response.page for target, _ in summary)
    db.session.refresh(juniper)
    assert juniper.headline == "Here to help" and juniper.slots == []
