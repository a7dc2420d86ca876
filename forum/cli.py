"""flask commands: create-admin, grant-role, remove-role, award-badge, seed-demo, rerender, search-optimize,
send-digests."""
import functools

import click
from flask import current_app
from sqlalchemy import inspect, select
from sqlalchemy.exc import OperationalError

from forum.accounts import services, staff
from forum.accounts.notices import award_badge_and_tell
from forum.errors import DomainError
from forum.extensions import db
from forum.models.accounts import User, user_by_username
from forum.ops.outage import database_not_answering


def needs_tables(command):
    """Refuse in plain words before a command reads a database `db upgrade` has not made yet,
    where the operator read a traceback ending in 'no such table: users'; and one that does
    not answer at all, where they read a traceback ending in 'Connection refused'."""
    @functools.wraps(command)
    def checked(*args, **kwargs):
        try:
            upgraded = inspect(db.engine).has_table(User.__tablename__)
        except OperationalError as error:
            raise click.ClickException(database_not_answering(error)) from None
        if not upgraded:
            raise click.ClickException("The database has no tables yet: run 'flask --app forum db upgrade' first.")
        return command(*args, **kwargs)
    return checked


def _user(username: str) -> User:
    user = db.session.scalar(user_by_username(username))
    if user is None:
        raise click.ClickException(f"No user called {username!r}.")
    return user


@click.command("create-admin")
@click.option("--username", prompt=True)
@click.option("--email", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--age-group", type=click.Choice(["adult", "teen"]), default="adult", show_default=True)
@needs_tables
def create_admin(username, email, password, age_group):
    """Create an account holding the admin role."""
    try:
        user = services.register_user(username=username, email=email, password=password,
                                      age_group=age_group, roles=("member", "admin"))
    except DomainError as error:
        raise click.ClickException(f"{error.field or 'error'}: {error.message}") from None
    click.echo(f"Admin {user.username} created.")


@click.command("grant-role")
@click.argument("username")
@click.argument("role")
@needs_tables
def grant_role(username, role):
    """Give USERNAME the ROLE (member, listener, mentor, trainer, moderator, admin)."""
    try:
        granted = staff.grant_role(_user(username), role)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"{username} {'now has' if granted else 'already has'} the role {role}.")


@click.command("remove-role")
@click.argument("username")
@click.argument("role")
@needs_tables
def remove_role(username, role):
    """Take the ROLE from USERNAME, as the admin page does: taking mentor away ends their mentorships."""
    user = _user(username)
    try:
        ended = staff.remove_role(user, role)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"{user.username} no longer has the role {role}. {ended}".strip())
    if role == "admin" and not staff.admin_count():
        # The admin page never takes the last admin's role (nobody takes their own): only here can it go.
        click.echo("Nobody is an admin here now: 'flask --app forum grant-role USERNAME admin' makes one.")


@click.command("award-badge")
@click.argument("username")
@click.argument("badge_slug")
@click.option("--reason", default="", help="Shown beside the badge on the profile.")
@needs_tables
def award_badge(username, badge_slug, reason):
    """Give USERNAME the badge with the short name BADGE_SLUG."""
    try:
        awarded = award_badge_and_tell(_user(username), staff.badge_by_slug(badge_slug), by=None, reason=reason)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"{username} {'now holds' if awarded else 'already held'} {badge_slug}.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no users yet.")
@needs_tables
def seed_demo(if_empty):
    """Load the demo community. Safe to run twice."""
    from forum.demo import DEMO_PASSWORD, seed_all

    if current_app.config["FORUM_ENV"] == "production":
        # As production refuses the development SECRET_KEY: every demo account, the admin
        # included, signs in with a password printed in the README.
        raise click.ClickException(
            f"Demo data is not loaded in production: its accounts, an admin among them, all use the "
            f"published password {DEMO_PASSWORD}. Make the first admin with `flask create-admin`.")
    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("The database already has users; demo data not loaded.")
        click.echo(f"Demo accounts loaded earlier still use the password {DEMO_PASSWORD}.")
        return
    accounts = seed_all()
    click.echo(f"Demo data loaded. Sign in as any of these with the password {DEMO_PASSWORD}:")
    for username, roles in accounts:
        click.echo(f"  {username:<16} {roles}")


# Parts with Markdown of their own add a (label, function) pair here.
RERENDERERS = []


@click.command("rerender")
@needs_tables
def rerender():
    """Render all stored Markdown again, after the text rules changed."""
    from forum.models.ideas import IdeaCall
    from forum.models.mentors import ProfileSection, Review
    from forum.models.training import Discussion, Program
    from forum.posts.rerender import rerender_bios, rerender_column, rerender_posts
    from forum.posts.text import mentioned_users, render_post_body

    # Everything rendered on write, not only posts: a review or a lesson kept what an
    # older rule let through (a link dressed as a button) for as long as it was stored.
    everything = [
        ("posts", rerender_posts), ("profiles", rerender_bios),
        ("mentor profile sections", lambda: rerender_column(ProfileSection, "body_md", "body_html")),
        ("reviews", lambda: rerender_column(Review, "body_md", "body_html")),
        ("mentors' replies to reviews", lambda: rerender_column(Review, "mentor_reply_md", "mentor_reply_html")),
        ("program summaries", lambda: rerender_column(Program, "summary_md", "summary_html")),
        ("lessons", lambda: rerender_column(Discussion, "lesson_md", "lesson_html")),
        ("calls for ideas", lambda: rerender_column(
            IdeaCall, "question_md", "question_html", lambda md: render_post_body(md, mentioned_users(md)))),
    ]
    for label, function in [*everything, *RERENDERERS]:
        click.echo(f"{label}: {function()} changed")


@click.command("search-optimize")
@needs_tables
def search_optimize():
    """Merge the search index's recent writes into its main structure (run it nightly)."""
    from forum.search.maintenance import optimize_search_index

    click.echo(optimize_search_index() + ".")


@click.command("send-digests")
@needs_tables
def send_digests():
    """Send the day's email to each member who chose one email a day (run it daily from cron)."""
    from forum.clock import utcnow
    from forum.posts.digests import MailServerFailed, send_digests as send

    try:
        sent, busy = send(utcnow())
    except MailServerFailed as failed:
        click.echo(f"{failed.sent} daily email{'' if failed.sent == 1 else 's'} sent.")
        # Exit status 1, so that cron or a systemd timer reports it.
        raise click.ClickException(
            f"The mail server failed, so the run stopped: {failed.left} member{'' if failed.left == 1 else 's'} "
            f"still to email get{'s' if failed.left == 1 else ''} their daily email at the next run. "
            f"({failed.reason})") from None
    if current_app.config["MAIL_SERVER"]:
        click.echo(f"{sent} daily email{'' if sent == 1 else 's'} sent.")
    else:  # development: read in the log, as every email is there
        click.echo(f"{sent} daily email{'' if sent == 1 else 's'} written to the log: "
                   f"no MAIL_SERVER is set, so none was sent.")
    if busy:
        click.echo(f"{busy} left for the next run: another run was writing at the same time.")


def register_commands(app) -> None:
    from forum.bench.cli import bench_seed

    for command in (create_admin, grant_role, remove_role, award_badge, seed_demo, rerender, search_optimize,
                    send_digests, bench_seed):
        app.cli.add_command(command)
