"""Every HTML page passes through :func:`sanitize` before it is written: whatever a title,
label or quote from the registry, a crosswalk or a report carries, the page holds no
element or attribute that can run code.

The page is parsed (the standard library's ``html.parser``) and written out again token
by token: text is escaped, ``<script>`` and the other active elements are dropped with
their content, event-handler attributes (``on…``) are dropped, and a link or source whose
scheme is not http(s), mailto or relative (an embedded ``data:image/…`` for ``src``) loses
that attribute, so ``[x](javascript:…)`` stays readable text but is never a link.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# elements dropped with everything inside them
DROPPED = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet",
                     "noscript", "template", "portal"})
# elements dropped themselves (their text, if any, stays)
VOID_DROPPED = frozenset({"base", "form", "input", "button", "textarea", "select",
                          "option", "animate", "set", "animatemotion", "animatetransform",
                          "handler", "listener", "foreignobject"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data",
                            "background", "poster", "cite", "longdesc", "lowsrc", "dynsrc",
                            "srcset", "codebase", "ping", "manifest", "icon"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
CONTROL = re.compile(r"[\x00-\x20\x7f]+")
EMBEDDED_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[a-z0-9+/=]*\Z", re.I)
ACTIVE_CSS = re.compile(r"expression\s*\(|javascript:|vbscript:|@import|behavior\s*:|"
                        r"-moz-binding", re.I)


def safe_url(name: str, value: str) -> bool:
    """An http(s), mailto or relative URL (and, for ``src``, an embedded image)."""
    if name == "src" and EMBEDDED_IMAGE.match(value):  # the figures, as written: a megabyte
        return True  # each, not copied twice to be compacted
    compact = CONTROL.sub("", value).lower()
    if name == "src" and EMBEDDED_IMAGE.match(compact):
        return True
    if name == "srcset":
        return all(safe_url("href", part.strip().split(" ")[0])
                   for part in value.split(",") if part.strip())
    match = SCHEME.match(compact)
    return match is None or match.group(1) in SAFE_SCHEMES


def safe_attribute(tag: str, name: str, value: str | None) -> bool:
    """False for an event handler, inline frame source, active style or unsafe URL."""
    value = value or ""
    if name.startswith("on") or name in ("srcdoc", "formaction"):
        return False
    if name == "style":
        return not ACTIVE_CSS.search(value)
    if tag == "meta" and name == "http-equiv":
        return False
    return name not in URL_ATTRIBUTES or safe_url(name, value)


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.skipping: list[str] = []  # open dropped elements
        self.raw: str | None = None   # the open <style> element

    def _tag(self, tag: str, attrs, close: str) -> None:
        if self.skipping:
            if tag in DROPPED and not close:
                self.skipping.append(tag)
            return
        if tag in DROPPED:
            if not close:
                self.skipping.append(tag)
            return
        if tag in VOID_DROPPED:
            return
        kept = "".join(f" {name}" if value is None else f' {name}="{html.escape(value)}"'
                       for name, value in attrs if safe_attribute(tag, name, value))
        self.out.append(f"<{tag}{kept}{close}>")
        if tag == "style" and not close:
            self.raw = tag

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs, "")

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs, " /")

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in DROPPED or tag in VOID_DROPPED:
            return
        self.raw = None if tag == self.raw else self.raw
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.skipping:
            return
        if self.raw:  # CSS: kept verbatim unless it could load or run something
            self.out.append("" if ACTIVE_CSS.search(data) else data.replace("</", "<\\/"))
        else:
            self.out.append(html.escape(data, quote=False))

    def handle_entityref(self, name):
        if not self.skipping:
            self.out.append(html.escape(html.unescape(f"&{name};"), quote=False))

    def handle_charref(self, name):
        if not self.skipping:
            self.out.append(html.escape(html.unescape(f"&#{name};"), quote=False))

    def handle_decl(self, decl):
        if decl.lower().startswith("doctype"):
            self.out.append(f"<!{decl}>")

    def handle_comment(self, data):
        pass  # comments (and IE conditional comments) are dropped

    def unknown_decl(self, data):
        pass

    def handle_pi(self, data):
        pass


def sanitize(page: str) -> str:
    """The page with every element and attribute that could run code removed, every
    text escaped."""
    parser = _Sanitizer()
    parser.feed(page)
    parser.close()
    return "".join(parser.out)
