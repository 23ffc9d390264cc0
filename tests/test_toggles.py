"""The waffle toggles of the courseware (docs/courseware.rst, "Waffle toggles")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from waffle.models import Flag
from waffle.testutils import override_flag, override_switch

from openedx_learner_apis import toggles

pytestmark = pytest.mark.django_db

FLAGS = {
    "courseware.mfe_progress_milestones", "courseware.mfe_progress_milestones_streak_celebration",
    "courseware.streak_discount_enabled", "courseware.microfrontend_course_exit_page",
    "course_experience.enable_course_goals", "seo.enable_anonymous_courseware_access", "discounts.enable_discounting",
}
SWITCHES = {"course_experience.enable_about_sidebar_html"}


def declared():
    return [value for value in vars(toggles).values() if isinstance(value, (toggles.WaffleFlag, toggles.WaffleSwitch))]


def test_every_toggle_of_the_spec_exists_and_is_annotated():
    names = {toggle.name for toggle in declared()}
    assert names == FLAGS | SWITCHES
    source = Path(toggles.__file__).read_text()
    assert set(re.findall(r"\.\. toggle_name: (\S+)", source)) == names


@pytest.mark.parametrize("name", sorted(FLAGS))
def test_flags_default_off_and_follow_waffle(name):
    flag = next(toggle for toggle in declared() if toggle.name == name)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert flag.is_enabled() is False
    assert flag.is_enabled(request) is False
    with override_flag(name, active=True):
        assert flag.is_enabled() is True
        assert flag.is_enabled(request) is True


def test_flag_for_staff_without_request(staff_user, learner):
    Flag.objects.create(name="courseware.microfrontend_course_exit_page", staff=True)
    assert toggles.COURSE_EXIT_PAGE.is_enabled(user=staff_user) is True
    assert toggles.COURSE_EXIT_PAGE.is_enabled(user=learner) is False


def test_switch():
    assert toggles.ENABLE_ABOUT_SIDEBAR_HTML.is_enabled() is False
    with override_switch("course_experience.enable_about_sidebar_html", active=True):
        assert toggles.ENABLE_ABOUT_SIDEBAR_HTML.is_enabled() is True
