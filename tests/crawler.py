"""A bounded crawl of the site as one logged-in person sees it.

Starting from the home page, it follows every link and submits every GET form (with
the values the page fills in) on the pages it reaches, the way a person clicks around,
and records what a person would trip over:

- a 5xx answer, or an exception in a view (the test client raises it);
- a link shown to this person that answers 403 or 404;
- a malformed link (``??``, an unencoded space);
- a "next page" link that does not reach that page or drops a filter;
- English framework text on a page ("Select an option", "This field is required"…).

The crawl is bounded: at most `max_pages` requests, and at most `per_view` distinct
URLs (path and query) for one named URL pattern and its arguments other than object
ids and years, so that 1,229 household pages (or a calendar's years back to 2000)
count as a few. PDF and Excel answers are checked for their status and their first
bytes only.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.http import HttpResponse
from django.test import Client
from django.urls import Resolver404, resolve

# Framework text that must never reach a Vietnamese user (English defaults of Django,
# django-filter and the debug pages).
ENGLISH = (
    "Select an option",
    "This field is required",
    "Enter a valid",
    "Enter a whole number",
    "Enter a number",
    "Ensure this value",
    "Page not found",
    "Not Found",
    "Forbidden",
    "Server Error",
    "Traceback",
    "Using the URLconf",
    "CSRF verification failed",
    "Previous",
    "Next",
    "Submit",
    "Filter",
    "Unknown",
    "---------",
)
ENGLISH_PATTERN = re.compile(r"\b(" + "|".join(map(re.escape, ENGLISH)) + r")")

SKIPPED_PREFIXES = ("/dang-xuat/", "/quan-tri/", "/static/")
BINARY_SIGNATURES = {
    "application/pdf": b"%PDF",
    # .xlsx and .docx are zip files
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": b"PK",
}


@dataclass
class Link:
    url: str  # as written in the page, unescaped
    text: str
    source: str  # the page it was found on
    kind: str = "link"  # "link" or "form"


@dataclass
class Problem:
    what: str
    url: str
    source: str
    detail: str = ""

    def __str__(self) -> str:
        detail = f" — {self.detail}" if self.detail else ""
        return f"{self.what}: {self.url} (từ {self.source}){detail}"


class _PageParser(HTMLParser):
    """Links, GET forms with the values the page fills in, and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self.text: list[str] = []
        self._href: str | None = None
        self._link_text: list[str] = []
        self._form: tuple[str, list[tuple[str, str]]] | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._select_first: str | None = None
        self._option_value: str | None = None
        self._option_text: list[str] = []
        self._skip_text = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag in ("script", "style"):
            self._skip_text += 1
        elif tag == "a" and "href" in a:
            self._href = a["href"]
            self._link_text = []
        elif tag == "form":
            method = a.get("method", "get").lower()
            self._form = (a.get("action", ""), []) if method == "get" else None
        elif self._form is not None:
            self._form_field(tag, a)

    def _form_field(self, tag: str, a: dict[str, str]) -> None:
        assert self._form is not None
        fields = self._form[1]
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_value, self._select_first = name, None, None
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_text = []
            if "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and name:
            fields.append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip_text = max(0, self._skip_text - 1)
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._link_text).split())))
            self._href = None
        elif tag == "option" and self._select is not None:
            value = self._option_value
            if value is None:
                value = "".join(self._option_text).strip()
            if self._select_first is None:
                self._select_first = value
            self._option_value = None
        elif tag == "select" and self._select is not None and self._form is not None:
            value = self._select_value
            if value is None:
                value = self._select_first or ""
            self._form[1].append((self._select, value))
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None

    def handle_data(self, data: str) -> None:
        if self._skip_text:
            return
        if self._href is not None:
            self._link_text.append(data)
        if self._select is not None:
            self._option_text.append(data)
        self.text.append(data)


@dataclass
class Crawl:
    client: Client
    start: str = "/"
    max_pages: int = 300
    per_view: int = 4
    visited: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    per_view_count: Counter[str] = field(default_factory=Counter)

    def run(self) -> Crawl:
        queue: deque[Link] = deque([Link(self.start, "", self.start)])
        seen: set[str] = set()
        while queue and len(self.visited) < self.max_pages:
            link = queue.popleft()
            url = self._check_written_form(link)
            if url is None or url in seen:
                continue
            view = self._view_key(url)
            if view is None:
                self.problems.append(
                    Problem("liên kết tới trang không có", url, link.source, link.text)
                )
                seen.add(url)
                continue
            if self.per_view_count[view] >= self.per_view:
                continue
            seen.add(url)
            self.per_view_count[view] += 1
            response = self._get(url, link)
            if response is None:
                continue
            queue.extend(self._links_of(url, response))
        return self

    # -- one request -------------------------------------------------------------------

    def _get(self, url: str, link: Link) -> HttpResponse | None:
        self.visited.append(url)
        try:
            response = self.client.get(url)
        except Exception as exc:  # the view raised: a person sees a 500
            self.problems.append(
                Problem("lỗi máy chủ", url, link.source, f"{type(exc).__name__}: {exc}")
            )
            return None
        status = response.status_code
        if status >= 500:
            self.problems.append(Problem(f"lỗi {status}", url, link.source, link.text))
            return None
        if status == 429:  # a throttle (giamngheo/throttles.py): not crawled
            self.problems.append(Problem("bị giới hạn (429)", url, link.source))
            return None
        if status in (403, 404):
            shown = "biểu mẫu" if link.kind == "form" else f"liên kết «{link.text}»"
            self.problems.append(Problem(f"{shown} trả lời {status}", url, link.source))
            return None
        if status in (301, 302, 303, 307, 308):
            target = urljoin("http://testserver" + url, response["Location"])
            parts = urlsplit(target)
            if parts.netloc != "testserver":
                return None
            return self._get_redirect(parts, url)
        self._check_page(url, link, response)
        return response

    def _get_redirect(self, parts, source: str) -> HttpResponse | None:  # type: ignore[no-untyped-def]
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if target in self.visited or target.startswith(SKIPPED_PREFIXES):
            return None
        return self._get(target, Link(target, "(chuyển hướng)", source))

    def _check_page(self, url: str, link: Link, response: HttpResponse) -> None:
        content_type = response.get("Content-Type", "").split(";")[0]
        if content_type in BINARY_SIGNATURES:
            body = b"".join(response) if response.streaming else response.content  # type: ignore[attr-defined]
            if not body.startswith(BINARY_SIGNATURES[content_type]):
                self.problems.append(
                    Problem("tệp tải về hỏng", url, link.source, content_type)
                )
            return
        if content_type != "text/html":
            return
        parser = _PageParser()
        parser.feed(response.content.decode())
        text = " ".join(" ".join(parser.text).split())
        for match in ENGLISH_PATTERN.finditer(text):
            around = text[max(0, match.start() - 40) : match.end() + 40]
            self.problems.append(
                Problem("chữ tiếng Anh trên trang", url, link.source, f"…{around}…")
            )
        self._check_next_page(url, link, text)
        response._crawl_parser = parser  # type: ignore[attr-defined]

    def _check_next_page(self, url: str, link: Link, text: str) -> None:
        """A link to page N keeps every parameter of the page it came from, and the
        page it reaches is page N."""
        query = dict(parse_qsl(urlsplit(url).query))
        if "page" not in query or link.kind != "link":
            return
        source_query = dict(parse_qsl(urlsplit(link.source).query))
        source_query.pop("page", None)
        dropped = {k: v for k, v in source_query.items() if query.get(k) != v}
        if dropped:
            self.problems.append(
                Problem("trang sau làm mất bộ lọc", url, link.source, str(dropped))
            )
        number = query["page"]
        if number.isdigit() and f"Trang {number}/" not in text:
            self.problems.append(
                Problem("liên kết trang không tới trang đó", url, link.source, number)
            )

    # -- links of a page ---------------------------------------------------------------

    def _links_of(self, url: str, response: HttpResponse) -> list[Link]:
        parser: _PageParser | None = getattr(response, "_crawl_parser", None)
        if parser is None:
            return []
        base = "http://testserver" + url
        links = [Link(href, text, url) for href, text in parser.links]
        for action, fields in parser.forms:
            target = urlsplit(urljoin(base, action or url))
            query = urlencode([(k, v) for k, v in fields])
            links.append(Link(f"{target.path}?{query}", "(biểu mẫu lọc)", url, "form"))
        return [link for link in links if link.url]

    def _check_written_form(self, link: Link) -> str | None:
        """The URL to request, or None for links the crawl does not follow."""
        href = link.url.strip()  # the parser has already decoded the entities
        if link.kind == "link" and ("??" in href or " " in href):
            self.problems.append(
                Problem("liên kết viết sai", href, link.source, link.text)
            )
            return None
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            return None
        absolute = urljoin("http://testserver" + link.source.split("#")[0], href)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
            return None
        if parts.path.startswith(SKIPPED_PREFIXES):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @staticmethod
    def _view_key(url: str) -> str | None:
        """The named pattern with its arguments other than object ids and years: each
        September report (slug) is its own key, all the household pages share one."""
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            return None
        kept = sorted(
            f"{name}={value}"
            for name, value in match.kwargs.items()
            if name not in ("pk", "year") and not name.endswith(("_pk", "_id"))
        )
        return " ".join([match.view_name, *kept])
