"""Templates compiled once per process (forum/templating.py's CompiledTemplates)."""
import pytest
from jinja2 import DictLoader, Environment, TemplateSyntaxError

from forum.templating import CompiledTemplates


class CountingCompiles(CompiledTemplates):
    """Counts the templates compiled: Jinja stores each one it compiles."""

    compiles = 0

    def dump_bytecode(self, bucket):
        self.compiles += 1
        super().dump_bytecode(bucket)


def environment(sources: dict, cache: CompiledTemplates, **options) -> Environment:
    return Environment(loader=DictLoader(sources), bytecode_cache=cache, autoescape=True, **options)


def test_a_second_environment_reuses_the_compiled_template():
    cache, sources = CountingCompiles(), {"page.html": "Hello {{ name }}"}
    assert environment(sources, cache).get_template("page.html").render(name="<Rowan>") == "Hello &lt;Rowan&gt;"
    assert environment(sources, cache).get_template("page.html").render(name="Ada") == "Hello Ada"
    assert cache.compiles == 1


def test_an_edited_template_shows_its_new_text():
    cache, sources = CompiledTemplates(), {"page.html": "Hello {{ name }}"}
    environment(sources, cache).get_template("page.html").render(name="Ada")
    sources["page.html"] = "Welcome back, {{ name }}"
    assert environment(sources, cache).get_template("page.html").render(name="Ada") == "Welcome back, Ada"


def test_an_environment_that_compiles_differently_gets_its_own_copy():
    cache = CompiledTemplates()
    with_do = {"page.html": "{% do items.append(1) %}{{ items }}"}
    assert environment(with_do, cache, extensions=["jinja2.ext.do"]).get_template("page.html").render(items=[]) == "[1]"
    with pytest.raises(TemplateSyntaxError):  # compiled afresh, without the extension
        environment(with_do, cache).get_template("page.html")
    escaped = {"page.html": "{{ name }}"}
    assert environment(escaped, cache).get_template("page.html").render(name="<b>") == "&lt;b&gt;"
    not_escaped = Environment(loader=DictLoader(escaped), bytecode_cache=cache, autoescape=False)
    assert not_escaped.get_template("page.html").render(name="<b>") == "<b>"
