"""gunicorn.conf.py's hook that caps the connections one worker holds, on gunicorn's own Config."""
import runpy
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

CONFIG_FILE = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def started_with(**settings) -> Config:
    config = Config()
    for name, value in settings.items():
        config.set(name, value)
    hooks = runpy.run_path(str(CONFIG_FILE))
    hooks["on_starting"](SimpleNamespace(cfg=config, log=Logger(config)))
    return config


def test_a_worker_holds_twice_as_many_connections_as_it_has_threads():
    assert started_with(threads=2).worker_connections == 4
    assert started_with(threads=6).worker_connections == 12


def test_a_limit_the_operator_set_is_kept():
    assert started_with(threads=2, worker_connections=50).worker_connections == 50
