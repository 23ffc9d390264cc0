"""HTML from course authors made safe to hand to a browser: no scripts, no event handlers."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

# Dropped with everything inside them.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "frameset", "template"})
# Dropped tags whose content (if any) is kept.
DROPPED_TAGS = frozenset({"embed", "frame", "base", "meta", "link"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "background", "poster"})
VOID_ELEMENTS = frozenset({"area", "br", "col", "hr", "img", "input", "source", "track", "wbr"})


def _unsafe_url(value: str) -> bool:
    compact = "".join(value.split()).lower()
    return compact.startswith(("javascript:", "vbscript:", "data:text/html"))


class _Sanitizer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.depth_dropped = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_WITH_CONTENT:
            self.depth_dropped += 1
        if self.depth_dropped or tag in DROPPED_TAGS:
            return
        kept = [(name, value) for name, value in attrs
                if not name.startswith("on") and not (name in URL_ATTRIBUTES and value and _unsafe_url(value))]
        rendered = "".join(f' {name}="{escape(value, quote=True)}"' if value is not None else f" {name}"
                           for name, value in kept)
        self.out.append(f"<{tag}{rendered}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in DROPPED_WITH_CONTENT:
            self.depth_dropped -= 1

    def handle_endtag(self, tag):
        if tag in DROPPED_WITH_CONTENT:
            self.depth_dropped = max(0, self.depth_dropped - 1)
        elif not self.depth_dropped and tag not in DROPPED_TAGS and tag not in VOID_ELEMENTS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.depth_dropped:
            self.out.append(escape(data, quote=False))


def sanitize_html(html: str | None) -> str | None:
    """``html`` without scripts, styles, frames, ``on*`` handlers or ``javascript:`` URLs; ``None`` if empty."""
    if not html:
        return None
    parser = _Sanitizer()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)
