"""Fixtures shared by the courseware API tests (the root conftest already empties the cache)."""

import pytest

from openedx_learner_apis.api import grant_course_role
from tests.course_builders import TOY_KEY, toy_course


@pytest.fixture
def course():
    return toy_course()


@pytest.fixture
def instructor(make_user, course):
    user = make_user("instructor")
    grant_course_role(user, TOY_KEY, "instructor")
    return user
