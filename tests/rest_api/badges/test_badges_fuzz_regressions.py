"""Badges cases the schema fuzzer found (docs/robustness.rst)."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from openedx_learner_apis.api import award_badge, create_badge_class
from tests.robustness.openapi import assert_documented

pytestmark = pytest.mark.django_db

ASSERTIONS = "/api/badges/v1/assertions/user/{username}/"


def award_one(user):
    icon = io.BytesIO()
    Image.new("RGB", (8, 8)).save(icon, format="PNG")
    badge_class = create_badge_class("fuzz", "openedx__course", display_name="Fuzz", description="Fuzz",
                                     criteria="https://example.com/criteria",
                                     image=ContentFile(icon.getvalue(), "icon.png"))
    award_badge(user, badge_class, image_url="https://example.com/b.png", assertion_url="https://example.com/b")


def test_badge_of_no_course_matches_the_schema(learner, jwt_client):
    """``course_id`` is null for a badge of no course; the schema said a string."""
    award_one(learner)
    response = jwt_client(learner).get("/api/badges/v1/assertions/user/learner/", {"page_size": 100})
    assert response.json()["results"][0]["badge_class"]["course_id"] is None
    assert_documented(response, "get", ASSERTIONS)


def test_empty_last_page_parameter_means_the_first_page(learner, jwt_client):
    """``?page=0.0&page=false&page=``: DRF reads the last value, and an empty page is the first one."""
    award_one(learner)
    response = jwt_client(learner).get("/api/badges/v1/assertions/user/learner/?page=0.0&page=false&page=")
    assert response.status_code == 200
    assert response.json()["current_page"] == 1
