"""The Open edX pagination envelope, clamping of ``page_size`` and per-family page sizes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.test import override_settings
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from openedx_learner_apis.rest_api.common.pagination import DefaultPagination, pagination_class_with

ENVELOPE = {"count", "next", "previous", "num_pages", "current_page", "start", "results"}
ITEMS = list(range(250))


def paginate(pagination_class, **params):
    request = Request(APIRequestFactory().get("/things/", params))
    paginator = pagination_class()
    page = paginator.paginate_queryset(ITEMS, request)
    return paginator.get_paginated_response(page).data


def test_envelope_of_the_first_page():
    body = paginate(DefaultPagination)
    assert set(body) == ENVELOPE
    assert body["count"] == 250
    assert body["num_pages"] == 25
    assert body["current_page"] == 1
    assert body["start"] == 0
    assert body["previous"] is None
    assert body["next"] == "http://testserver/things/?page=2"
    assert body["results"] == list(range(10))


def test_later_page():
    body = paginate(DefaultPagination, page=3, page_size=20)
    assert body["current_page"] == 3
    assert body["start"] == 40
    assert body["results"] == list(range(40, 60))
    assert body["previous"] == "http://testserver/things/?page=2&page_size=20"


def test_page_size_over_the_maximum_is_clamped():
    body = paginate(DefaultPagination, page_size=1000)
    assert len(body["results"]) == 100
    assert body["num_pages"] == 3


@pytest.mark.parametrize("page_size", ["0", "-5", "ten"])
def test_unusable_page_size_falls_back_to_the_default(page_size):
    assert len(paginate(DefaultPagination, page_size=page_size)["results"]) == 10


@pytest.mark.parametrize("page", ["99", "zero"])
def test_page_out_of_range_is_not_found(page):
    with pytest.raises(NotFound):
        paginate(DefaultPagination, page=page)


def test_pagination_class_with_other_sizes():
    mobile = pagination_class_with(page_size=5, max_page_size=50)
    assert issubclass(mobile, DefaultPagination)
    assert mobile.__name__ == "DefaultPagination5x50"
    assert len(paginate(mobile)["results"]) == 5
    assert len(paginate(mobile, page_size=500)["results"]) == 50
    assert DefaultPagination.page_size == 10


def test_pagination_class_with_follows_the_configured_class():
    with override_settings(OPENEDX_LEARNER_APIS={"PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination"}):
        custom = pagination_class_with(page_size=3, max_page_size=4)
    assert issubclass(custom, PageNumberPagination)
    assert not issubclass(custom, DefaultPagination)
    assert custom.max_page_size == 4


def test_schema_of_the_envelope_lists_every_key():
    schema = DefaultPagination().get_paginated_response_schema({"type": "object"})
    assert set(schema["properties"]) == ENVELOPE
    assert set(schema["required"]) == ENVELOPE


@pytest.fixture
def users(make_user):
    for index in range(25):
        make_user(f"paged{index:02d}")
    return get_user_model().objects.filter(username__startswith="paged").order_by("username")


def paginate_queryset(queryset, **params) -> dict:
    request = Request(APIRequestFactory().get("/things/", params))
    paginator = DefaultPagination()
    page = paginator.paginate_queryset(queryset, request)
    return paginator.get_paginated_response([user.username for user in page]).data


@pytest.mark.django_db
def test_a_page_of_a_queryset_and_its_total_are_one_query(users, django_assert_num_queries):
    with django_assert_num_queries(1):
        body = paginate_queryset(users, page=3)
    assert body["count"] == 25 and body["num_pages"] == 3 and body["start"] == 20
    assert body["results"] == [f"paged{index:02d}" for index in range(20, 25)]
    assert body["next"] is None and body["previous"] == "http://testserver/things/?page=2"


@pytest.mark.django_db
def test_past_the_end_and_empty_lists_still_count(users, django_assert_num_queries):
    with django_assert_num_queries(2), pytest.raises(NotFound):
        paginate_queryset(users, page=4)
    with django_assert_num_queries(2):
        body = paginate_queryset(users.filter(username="nobody"))
    assert body["count"] == 0 and body["results"] == []
    for page in ("2.5", "9" * 400):  # not a number; an offset no database accepts
        with pytest.raises(NotFound):
            paginate_queryset(users, page=page)


@pytest.mark.django_db
def test_querysets_a_window_would_miscount_take_two_queries(users, django_assert_num_queries):
    doubled = get_user_model().objects.filter(
        Q(username__startswith="paged") | Q(groups__name="none")).distinct().order_by("username")
    with django_assert_num_queries(2):
        assert paginate_queryset(doubled, page=2)["count"] == 25
    with django_assert_num_queries(2):
        assert paginate_queryset(users, page="last")["results"][-1] == "paged24"
