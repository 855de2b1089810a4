"""A page's POST forms as a browser would send them unchanged: what two users who
"open the same page" each hold, for the tests of edits made at the same time."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _PostForms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._fields: dict[str, list[str]] | None = None
        self._action = ""
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        assert self._fields is not None
        self._fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            post = a.get("method", "get").lower() == "post"
            self._fields = {} if post else None
            self._action = a.get("action", "")
            return
        if self._fields is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self._add(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select is not None and "selected" in a:
            self._add(self._select, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The browser drops the newline right after <textarea>.
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None
        elif tag == "form" and self._fields is not None:
            self.forms.append((self._action, self._fields))
            self._fields = None


def post_form(response: Any, action: str = "") -> dict[str, Any]:
    """The fields of the page's POST form that posts to `action` (by default, the
    page itself), as the browser holds them: one value, or a list for a repeated
    name."""
    parser = _PostForms()
    parser.feed(response.content.decode())
    for posted_to, fields in parser.forms:
        if posted_to == action:
            return {k: v[0] if len(v) == 1 else v for k, v in fields.items()}
    raise AssertionError(f"No POST form to {action!r} on the page.")
