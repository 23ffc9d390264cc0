"""Absolute URLs: one rule for the LMS root and for the host a request came to."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from openedx_learner_apis.core.urls import is_absolute, lms_url, on_root
from openedx_learner_apis.hooks import DefaultHooks


@pytest.mark.parametrize(("url", "root", "expected"), [
    ("/certificates/abc", "https://lms.example.com", "https://lms.example.com/certificates/abc"),
    ("/certificates/abc", "https://lms.example.com/", "https://lms.example.com/certificates/abc"),
    ("certificates/abc", "https://lms.example.com/", "https://lms.example.com/certificates/abc"),
    ("https://cdn.example.com/x", "https://lms.example.com", "https://cdn.example.com/x"),
    ("/certificates/abc", None, "/certificates/abc"),
    ("/certificates/abc", "", "/certificates/abc"),
    (None, "https://lms.example.com", None),
    ("", "https://lms.example.com", ""),
])
def test_on_root(url, root, expected):
    assert on_root(url, root) == expected


def test_is_absolute():
    assert is_absolute("http://a/b") and not is_absolute("/a/b") and not is_absolute("a/b")


def test_lms_url_prefers_the_root_and_otherwise_asks_the_builder():
    asked = []

    def builder(path):
        asked.append(path)
        return f"http://testserver{path}"

    assert lms_url("/courses/x/about", root="https://lms.example.com/", absolute_url=builder) == \
        "https://lms.example.com/courses/x/about"
    assert asked == []
    assert lms_url("/courses/x/about", root=None, absolute_url=builder) == "http://testserver/courses/x/about"


def test_the_default_hooks_build_lms_links_with_this_rule(settings):
    request = RequestFactory().get("/", HTTP_HOST="api.example.com")
    settings.OPENEDX_LEARNER_APIS = {"LMS_ROOT_URL": None}
    assert DefaultHooks().lms_url(request, "/courses/x/about") == "http://api.example.com/courses/x/about"
    settings.OPENEDX_LEARNER_APIS = {"LMS_ROOT_URL": "https://lms.example.com/"}
    assert DefaultHooks().lms_url(request, "/courses/x/about") == "https://lms.example.com/courses/x/about"
