"""The HTML sanitizer of author HTML (about sections, info pages)."""

from openedx_learner_apis.core.sanitize import sanitize_html


def test_scripts_handlers_and_javascript_urls_are_removed():
    html = ('<p onclick="x()">Hi <b>there</b><script>alert(1)</script>'
            '<a href=" javascript:alert(1)">x</a><img src="a.png"><br/>&amp;</p><iframe src="e">in</iframe>')
    assert sanitize_html(html) == '<p>Hi <b>there</b><a>x</a><img src="a.png"><br>&amp;</p>'


def test_empty_is_none():
    assert sanitize_html("") is None and sanitize_html(None) is None
