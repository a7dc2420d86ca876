"""The forum: `create_app` reads as the table of contents of the application."""
import logging
from pathlib import Path

from flask import Flask

from forum.config import check_settings, load_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    configure_settings(app, config)
    configure_template_environment(app)
    configure_logging(app)
    configure_extensions(app)
    configure_blueprints(app)
    configure_templates(app)
    configure_errors(app)
    configure_cli(app)
    return app


def configure_settings(app: Flask, config: dict | None) -> None:
    app.config.from_mapping(load_settings(app.instance_path))
    if config:
        app.config.from_mapping(config)
    check_settings(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def configure_template_environment(app: Flask) -> None:
    from forum.templating import TemplateEnvironment

    # Before anything asks for app.jinja_env, which makes it once.
    app.jinja_environment = TemplateEnvironment


def configure_logging(app: Flask) -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)


def configure_extensions(app: Flask) -> None:
    from forum import models  # noqa: F401  (every table registered before Alembic looks)
    from forum.accounts.session import configure_sessions
    from forum.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    configure_sessions(app)


def configure_blueprints(app: Flask) -> None:
    from forum.accounts import bp as accounts
    from forum.admin import bp as admin
    from forum.home import bp as home
    from forum.ideas import bp as ideas
    from forum.mentors import bp as mentors
    from forum.moderation import bp as moderation
    from forum.ops import bp as ops
    from forum.posts import bp as posts
    from forum.search import bp as search
    from forum.training import bp as training

    for blueprint in (home, accounts, admin, posts, training, ideas, mentors, moderation, ops, search):
        app.register_blueprint(blueprint)


def configure_templates(app: Flask) -> None:
    from forum.templating import configure_template_globals

    configure_template_globals(app)


def configure_errors(app: Flask) -> None:
    from forum.errors import configure_error_pages

    configure_error_pages(app)


def configure_cli(app: Flask) -> None:
    from forum.cli import register_commands

    register_commands(app)
