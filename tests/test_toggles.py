"""The waffle toggles of the courseware (docs/courseware.rst, "Waffle toggles")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from crum import get_current_request, set_current_request
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from edx_django_utils.cache import RequestCache
from edx_toggles.toggles import WaffleFlag, WaffleSwitch
from waffle.models import Flag
from waffle.testutils import override_flag, override_switch

from openedx_learner_apis import toggles
from tests.course_builders import TOY_KEY, toy_course

pytestmark = pytest.mark.django_db

FLAGS = {
    "courseware.mfe_progress_milestones", "courseware.mfe_progress_milestones_streak_celebration",
    "courseware.streak_discount_enabled", "courseware.microfrontend_course_exit_page",
    "course_experience.enable_course_goals", "seo.enable_anonymous_courseware_access", "discounts.enable_discounting",
}
SWITCHES = {"course_experience.enable_about_sidebar_html"}


@pytest.fixture
def current_request():
    """``current_request(user)``: makes a request of ``user`` crum's current one, as the family views do."""

    def _current_request(user):
        RequestCache.clear_all_namespaces()  # a new request: flags are evaluated again
        request = RequestFactory().get("/")
        request.user = user
        set_current_request(request)
        return request

    yield _current_request
    set_current_request(None)


def declared():
    return [value for value in vars(toggles).values() if isinstance(value, (toggles.WaffleFlag, toggles.WaffleSwitch))]


def test_every_toggle_of_the_spec_exists_and_is_annotated():
    names = {toggle.name for toggle in declared()}
    assert names == FLAGS | SWITCHES
    source = Path(toggles.__file__).read_text()
    assert set(re.findall(r"\.\. toggle_name: (\S+)", source)) == names


@pytest.mark.parametrize("name", sorted(FLAGS))
def test_flags_default_off_and_follow_waffle(name, current_request):
    flag = next(toggle for toggle in declared() if toggle.name == name)
    assert flag.is_enabled() is False  # no request
    current_request(AnonymousUser())
    assert flag.is_enabled() is False
    with override_flag(name, active=True):
        current_request(AnonymousUser())
        assert flag.is_enabled() is True
        set_current_request(None)
        assert flag.is_enabled() is True  # no request: the flag's "everyone" decides


def test_toggles_are_edx_toggles_classes():
    """Open edX's toggle reports and annotations find them: they are edx-toggles' own classes."""
    assert all(isinstance(toggle, (WaffleFlag, WaffleSwitch)) for toggle in declared())
    assert {type(toggle) for toggle in declared()} == {WaffleFlag, WaffleSwitch}


def test_flag_for_staff_follows_the_current_request(staff_user, learner, current_request):
    """A staff-only flag is on for a staff user's request only (edx-toggles reads the user through crum)."""
    Flag.objects.create(name="courseware.microfrontend_course_exit_page", staff=True)
    current_request(staff_user)
    assert toggles.COURSE_EXIT_PAGE.is_enabled() is True
    current_request(learner)
    assert toggles.COURSE_EXIT_PAGE.is_enabled() is False
    set_current_request(None)
    assert toggles.COURSE_EXIT_PAGE.is_enabled() is False  # without a request: "everyone" is unset


def test_family_view_evaluates_flags_for_its_request_and_restores_crum(staff_user, learner, session_client):
    """A staff-only flag is on in the staff user's answer only; no request stays current afterwards."""
    toy_course()
    Flag.objects.create(name="courseware.microfrontend_course_exit_page", staff=True)
    url = f"/api/courseware/course/{TOY_KEY}"
    assert session_client(staff_user).get(url).json()["course_exit_page_is_active"] is True
    assert get_current_request() is None
    assert session_client(learner).get(url).json()["course_exit_page_is_active"] is False


def test_flag_answer_is_kept_for_one_request_only(learner, session_client, django_capture_on_commit_callbacks):
    """Each request evaluates flags again: the request cache is emptied when a request starts and ends."""
    toy_course()
    flag = Flag.objects.create(name="courseware.microfrontend_course_exit_page", everyone=False)
    client = session_client(learner)
    answers = []
    for everyone in (False, True, False):
        flag.everyone = everyone
        with django_capture_on_commit_callbacks(execute=True):  # waffle forgets its cached flag on commit
            flag.save()
        answers.append(client.get(f"/api/courseware/course/{TOY_KEY}").json()["course_exit_page_is_active"])
        assert toggles.COURSE_EXIT_PAGE.is_enabled() is everyone  # after the request: no leftover answer
    assert answers == [False, True, False]


def test_switch():
    assert toggles.ENABLE_ABOUT_SIDEBAR_HTML.is_enabled() is False
    RequestCache.clear_all_namespaces()  # edx-toggles remembers a switch for the rest of the request
    with override_switch("course_experience.enable_about_sidebar_html", active=True):
        assert toggles.ENABLE_ABOUT_SIDEBAR_HTML.is_enabled() is True
