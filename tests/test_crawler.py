"""The crawler of tests/test_crawl.py catches each mistake it is there for."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.crawler import Crawl


@pytest.fixture
def crawl(settings: object) -> list[str]:
    settings.ROOT_URLCONF = "tests.crawl_urls"  # type: ignore[attr-defined]
    settings.MIDDLEWARE = []  # type: ignore[attr-defined]
    result = Crawl(Client(), per_view=10).run()
    return [str(problem) for problem in result.problems]


def has(problems: list[str], *parts: str) -> bool:
    return any(all(part in problem for part in parts) for problem in problems)


def test_a_link_that_answers_403_is_caught(crawl: list[str]) -> None:
    assert has(crawl, "«Trang cấm» trả lời 403", "/cam/")


def test_a_crash_is_caught(crawl: list[str]) -> None:
    assert has(crawl, "lỗi máy chủ", "/hong/", "RuntimeError")


def test_english_framework_text_is_caught(crawl: list[str]) -> None:
    assert has(crawl, "chữ tiếng Anh", "/tieng-anh/", "Select an option")


def test_a_double_question_mark_is_caught(crawl: list[str]) -> None:
    assert has(crawl, "liên kết viết sai", "??page=2")


def test_a_next_page_link_that_drops_a_filter_is_caught(crawl: list[str]) -> None:
    assert has(crawl, "trang sau làm mất bộ lọc", "/danh-sach/?page=3", "loai")


def test_a_get_form_is_submitted_as_the_page_fills_it(settings: object) -> None:
    settings.ROOT_URLCONF = "tests.crawl_urls"  # type: ignore[attr-defined]
    settings.MIDDLEWARE = []  # type: ignore[attr-defined]
    result = Crawl(Client(), per_view=10).run()
    assert "/danh-sach/?loai=" in result.visited
    assert not any(url.startswith("/hong/?") for url in result.visited)  # POST form
