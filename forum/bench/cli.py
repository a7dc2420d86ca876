"""`flask --app forum bench-seed --posts N`: a busy community in an empty database, for `make bench`."""
import time

import click
from sqlalchemy import select

from forum.cli import needs_tables
from forum.clock import utcnow
from forum.extensions import db
from forum.models.accounts import User


@click.command("bench-seed")
@click.option("--posts", default=200_000, show_default=True, help="Posts in all.")
@click.option("--users", default=5_000, show_default=True)
@click.option("--mentors", default=1_000, show_default=True)
@click.option("--reviews", default=20_000, show_default=True)
@click.option("--top-mentor-reviews", default=500, show_default=True, help="Reviews of the mentor the bench reads.")
@click.option("--ideas", default=1_000, show_default=True, help="Ideas in the main call.")
@click.option("--idea-reactions", default=20_000, show_default=True, help="Reactions to the main call's ideas.")
@click.option("--responses", default=1_000, show_default=True, help="Responses in the main discussion.")
@click.option("--seed", default=1, show_default=True, help="Random seed: the same seed makes the same data.")
@needs_tables
def bench_seed(seed, **sizes):
    """Fill an EMPTY database with a busy community (bulk inserts; minutes for 200,000 posts)."""
    from forum.bench.seed import BENCH_PASSWORD, Seeder, Shape

    shape = Shape(**sizes)
    problems = shape.problems()
    if problems:
        raise click.UsageError("; ".join(problems))
    if db.session.scalar(select(User.id).limit(1)) is not None:
        raise click.ClickException("bench-seed fills an empty database; this one has users already.")
    started = time.monotonic()
    written = Seeder(shape, utcnow(), seed).run()
    click.echo(f"Seeded in {time.monotonic() - started:.1f} s: "
               + ", ".join(f"{count:,} {name}" for name, count in written.items() if count))
    click.echo(f"Everyone's password is {BENCH_PASSWORD!r}; the bench reads as bench_reader.")
