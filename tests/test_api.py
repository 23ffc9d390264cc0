"""The public Python API: validation, transactional writes and signals sent on commit."""

import pytest
from django.db import IntegrityError, transaction
from waffle.testutils import override_flag

from openedx_learner_apis import api, signals
from openedx_learner_apis.applets.engagement.models import CourseEnrollmentCelebration, UserActivity
from openedx_learner_apis.applets.enrollments.models import Enrollment
from openedx_learner_apis.applets.learners.models import UserPreference
from openedx_learner_apis.applets.progress.models import BlockCompletion

pytestmark = pytest.mark.django_db
KEY = "course-v1:edX+Api101+2026"


@pytest.fixture
def course():
    return api.upsert_course(KEY, display_name="API course")


@pytest.fixture
def received():
    """Collects (signal name, kwargs) of every signal this app sends."""
    log = []
    names = ["enrollment_changed", "certificate_changed", "badge_awarded"]
    handlers = []
    for name in names:
        def handler(sender, signal, _name=name, **kwargs):
            log.append((_name, kwargs))
        getattr(signals, name).connect(handler)
        handlers.append((name, handler))
    yield log
    for name, handler in handlers:
        getattr(signals, name).disconnect(handler)


def test_profile_is_created_once_and_updated(learner):
    profile = api.get_or_create_profile(learner, name="Lena", year_of_birth=1990)
    again = api.get_or_create_profile("learner", name="Lena L.")
    assert again.pk == profile.pk and again.name == "Lena L." and again.year_of_birth == 1990


def test_unknown_users_raise_a_clear_exception(course):
    with pytest.raises(api.UserNotFound, match="ghost"):
        api.enroll("ghost", KEY)
    with pytest.raises(api.UserNotFound):
        api.set_preference("ghost", "time_zone", "UTC")


def test_malformed_keys_raise_a_clear_exception(learner):
    with pytest.raises(api.InvalidKey, match="not a valid course key"):
        api.set_course_goal(learner, "bad key", 3, True)
    with pytest.raises(api.InvalidKey, match="not a valid usage key"):
        api.record_completion(learner, "bad key")


def test_preferences_and_privacy(learner):
    api.set_account_privacy(learner, "private")
    api.set_account_privacy(learner, "all_users")
    assert api.get_preference(learner, "account_privacy") == "all_users"
    assert UserPreference.objects.filter(user=learner).count() == 1
    with pytest.raises(ValueError):
        api.set_account_privacy(learner, "friends")
    api.set_preference(learner, "account_privacy", None)
    assert api.get_preference(learner, "account_privacy", "default") == "default"


@override_flag("courseware.mfe_progress_milestones", active=True)
def test_enroll_sends_its_signal_only_after_commit(learner, course, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = api.enroll(learner, KEY, mode="verified")
        assert received == []
    # Sent once, after the commit (the other commit callbacks replace cache generation tokens).
    assert len(received) == 1
    assert received[0][0] == "enrollment_changed"
    assert received[0][1]["created"] is True and received[0][1]["mode"] == "verified"
    assert CourseEnrollmentCelebration.objects.get(enrollment=enrollment).celebrate_first_section


def test_a_rolled_back_enrollment_sends_nothing(learner, course, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            api.enroll(learner, KEY)
            raise RuntimeError("roll back")
    assert received == [] and not Enrollment.objects.exists()


def test_reenroll_changes_mode_and_unenroll_deactivates(learner, course):
    api.enroll(learner, KEY)
    api.enroll(learner, KEY, mode="verified")
    assert Enrollment.objects.get().mode == "verified"
    assert api.unenroll(learner, KEY).is_active is False
    assert api.unenroll(learner, "course-v1:edX+Api101+2026").is_active is False
    assert Enrollment.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(user=learner, course=course)


def test_enroll_in_a_missing_course_raises(learner):
    with pytest.raises(api.CourseNotFound):
        api.enroll(learner, "course-v1:edX+Missing+2026")


def test_completions_are_upserted_and_validated(learner, course):
    block = course.course_key.make_usage_key("problem", "p1")
    api.record_completion(learner, block, 0.5)
    record = api.record_completion(learner, str(block), 1.0)
    assert BlockCompletion.objects.get().completion == 1.0 and record.block_type == "problem"
    with pytest.raises(ValueError):
        api.record_completion(learner, block, 1.5)


def test_course_grade_keeps_the_first_pass_time(learner, course):
    first = api.set_course_grade(learner, KEY, 0.8, True)
    passed_at = first.passed_timestamp
    again = api.set_course_grade(learner, KEY, 0.9, True)
    assert again.passed_timestamp == passed_at and again.percent_grade == 0.9
    assert api.set_course_grade(learner, KEY, 0.1, False).passed is False


def test_goal_positions_and_bookmarks(learner, course):
    goal = api.set_course_goal(learner, KEY, days_per_week=3, subscribed_to_reminders=True)
    assert api.set_course_goal(learner, KEY, 5, False).pk == goal.pk
    sequence = course.course_key.make_usage_key("sequential", "s")
    api.set_position(learner, sequence, 2)
    assert api.set_position(learner, sequence, 3).position == 3
    bookmark = api.add_bookmark(learner, sequence)
    assert api.add_bookmark(learner, sequence).pk == bookmark.pk
    UserActivity.objects.create(user=learner, course_key=course.course_key, date="2026-11-22")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserActivity.objects.create(user=learner, course_key=course.course_key, date="2026-11-22")


def test_issue_certificate_updates_in_place_and_signals(learner, course, received,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = api.issue_certificate(learner, KEY, status="notpassing", mode="audit", grade="0.2")
        second = api.issue_certificate(learner, KEY, status="downloadable", mode="verified", grade="0.9",
                                       download_url="https://example.com/c.pdf")
    assert first.pk == second.pk and len(first.verify_uuid) == 32
    assert [name for name, _ in received] == ["certificate_changed", "certificate_changed"]
    with pytest.raises(ValueError):
        api.issue_certificate(learner, KEY, status="awesome", mode="audit")


def test_badges_are_created_once_and_awarded(learner, received, django_capture_on_commit_callbacks):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    def png(name):
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8)).save(buffer, format="PNG")
        return ContentFile(buffer.getvalue(), name=name)

    image = png("b.png")
    badge_class = api.create_badge_class("Course-Done", "edx__course", display_name="Done",
                                         description="d", criteria="c", image=image, course_key=KEY)
    assert badge_class.slug == "course-done"
    global_class = api.create_badge_class("first", "", display_name="First", description="d", criteria="c",
                                          image=png("f.png"))
    assert not global_class.course_key
    with django_capture_on_commit_callbacks(execute=True):
        assertion = api.award_badge(learner, badge_class, image_url="https://e.com/i.png",
                                    assertion_url="https://e.com/a")
    assert received[-1] == ("badge_awarded", {"user": learner, "assertion": assertion})
