"""gunicorn's gthread workers serve several requests at once in one process: writing a
post must render the same HTML whichever threads are rendering at the same moment."""
import threading

from forum.text import render_markdown

SOURCE = (
    "Some **bold** words and a [link](https://example.org), then\n\n"
    "> a quote with *emphasis*\n\n"
    "- one\n- two with `code`\n\n"
    "<script>alert(1)</script> and https://example.org/bare\n\n"
    "```\nfenced <b>code</b>\n```\n"
) * 3


def test_markdown_renders_the_same_in_many_threads_at_once():
    expected = render_markdown(SOURCE)
    results: list[str] = []
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def render_many():
        start.wait()
        for _ in range(40):
            try:
                results.append(render_markdown(SOURCE))
            except Exception as error:  # the shared parser's state, corrupted by another thread
                failures.append(error)

    threads = [threading.Thread(target=render_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert set(results) == {expected}
    assert len(results) == 8 * 40
