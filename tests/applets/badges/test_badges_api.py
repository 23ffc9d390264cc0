"""Badge classes, awards and the filters of a learner's badge list (docs/badges.rst)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from opaque_keys.edx.keys import CourseKey
from PIL import Image

from openedx_learner_apis import api, signals
from openedx_learner_apis.applets.badges.api import ANY_COURSE, AssertionFilters, user_badge_assertions
from openedx_learner_apis.applets.badges.models import BadgeAssertion, BadgeClass
from openedx_learner_apis.core.keys import InvalidKey

pytestmark = pytest.mark.django_db

COURSE = CourseKey.from_string("course-v1:edX+Badges+2024")
OTHER_COURSE = CourseKey.from_string("course-v1:edX+Other+2024")


def png(size=(50, 50), name="test.png", color=(0, 0, 255)) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=name)


def make_class(slug="test_slug", component="test_component", course_key=None, **fields):
    fields.setdefault("display_name", "Test Badge")
    fields.setdefault("description", "Yay! It's a test badge.")
    fields.setdefault("criteria", "https://example.com/syllabus")
    fields.setdefault("image", png())
    return api.create_badge_class(slug, component, course_key=course_key, **fields)


def award(user, badge_class):
    return api.award_badge(user, badge_class, image_url="http://example.com/image.png",
                           assertion_url="http://example.com/example.json")


class TestCreateBadgeClass:
    def test_creates_with_the_image_in_storage(self):
        badge_class = make_class()
        assert badge_class.pk
        assert badge_class.image.name.startswith("badge_classes/")
        assert default_storage.exists(badge_class.image.name)
        assert not badge_class.course_key

    def test_lowercases_slug_and_component(self):
        badge_class = make_class("Test_Slug", "Test_Component")
        assert (badge_class.slug, badge_class.issuing_component) == ("test_slug", "test_component")

    def test_same_triple_updates_in_place(self, django_capture_on_commit_callbacks):
        first = make_class()
        old_image = first.image.name
        with django_capture_on_commit_callbacks(execute=True):
            second = make_class(display_name="Renamed", image=png(name="new.png", color=(255, 0, 0)))
        assert second.pk == first.pk
        assert BadgeClass.objects.get().display_name == "Renamed"
        assert not default_storage.exists(old_image)
        assert default_storage.exists(second.image.name)

    def test_update_without_image_keeps_the_icon(self):
        first = make_class()
        second = make_class(display_name="Renamed", image=None)
        assert second.image.name == first.image.name

    def test_course_scoped_class_is_distinct(self):
        make_class()
        scoped = make_class(course_key=str(COURSE))
        assert scoped.course_key == COURSE
        assert BadgeClass.objects.count() == 2

    @pytest.mark.parametrize(("image", "message"), [
        (png(size=(50, 40)), "must be square"),
        (ContentFile(b"not an image at all", name="x.png"), "not a valid image"),
        (ContentFile(b"\x89PNG" + b"0" * (250 * 1024), name="big.png"), "less than 250KB"),
    ])
    def test_bad_images_are_refused_and_nothing_is_written(self, image, message):
        with pytest.raises(ValidationError, match=message):
            make_class(image=image)
        assert not BadgeClass.objects.exists()
        assert not default_storage.exists("badge_classes/x.png")

    def test_new_class_needs_an_image(self):
        with pytest.raises(ValidationError, match="needs an image"):
            make_class(image=None)

    def test_bad_slug_is_refused(self):
        with pytest.raises(ValidationError):
            make_class(slug="not a slug!")
        assert not BadgeClass.objects.exists()

    def test_bad_course_key_is_refused(self):
        with pytest.raises(InvalidKey):
            make_class(course_key="not-a-key")


class TestAwardBadge:
    def test_records_and_signals_after_commit(self, learner, django_capture_on_commit_callbacks):
        received = []

        def receiver(sender, **kwargs):
            received.append(kwargs)

        signals.badge_awarded.connect(receiver)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                assertion = award(learner, make_class())
        finally:
            signals.badge_awarded.disconnect(receiver)
        assert BadgeAssertion.objects.get() == assertion
        assert received == [{"signal": signals.badge_awarded, "user": learner, "assertion": assertion}]

    def test_invalid_url_is_refused(self, learner):
        with pytest.raises(ValidationError):
            api.award_badge(learner, make_class(), image_url="not a url", assertion_url="http://example.com/a")
        assert not BadgeAssertion.objects.exists()

    def test_accepts_a_username(self, learner):
        assert award("learner", make_class()).user == learner


class TestAssertionFilters:
    @pytest.mark.parametrize(("params", "expected"), [
        ({}, AssertionFilters(ANY_COURSE, "", "")),
        ({"course_id": "*"}, AssertionFilters(ANY_COURSE, "", "")),
        ({"course_id": ""}, AssertionFilters(ANY_COURSE, "", "")),
        ({"course_id": str(COURSE)}, AssertionFilters(COURSE, "", "")),
        ({"course_id": "edX/Badges/2024"}, AssertionFilters(CourseKey.from_string("edX/Badges/2024"), "", "")),
        ({"slug": "s"}, AssertionFilters(None, "s", "")),
        ({"slug": ""}, AssertionFilters(None, "", "")),
        ({"slug": "s", "course_id": ""}, AssertionFilters(None, "s", "")),
        ({"slug": "s", "issuing_component": "c"}, AssertionFilters(None, "s", "c")),
        ({"slug": "s", "issuing_component": "c", "course_id": "*"}, AssertionFilters(ANY_COURSE, "s", "c")),
        ({"slug": "s", "course_id": str(COURSE)}, AssertionFilters(COURSE, "s", "")),
        ({"issuing_component": "c"}, AssertionFilters(ANY_COURSE, "", "")),
        ({"unknown": "x"}, AssertionFilters(ANY_COURSE, "", "")),
    ])
    def test_query_string_rules(self, params, expected):
        assert AssertionFilters.from_query(params) == expected

    @pytest.mark.parametrize("course_id", ["not-a-key", "foo+bar+baz", "a/b+c", "course-v1:"])
    def test_malformed_course_id(self, course_id):
        with pytest.raises(InvalidKey):
            AssertionFilters.from_query({"course_id": course_id})


class TestUserBadgeAssertions:
    @pytest.fixture
    def badges(self, learner, other_learner):
        global_class = make_class("global")
        course_class = make_class(course_key=COURSE)
        other_course_class = make_class(course_key=OTHER_COURSE)
        empty_component = make_class("plain", "")
        mine = [award(learner, global_class), award(learner, course_class), award(learner, other_course_class),
                award(learner, empty_component)]
        award(other_learner, course_class)
        return mine

    def slugs(self, user, **params):
        return [(a.badge_class.slug, a.badge_class.course_key) for a in
                user_badge_assertions(user, AssertionFilters.from_query(params))]

    def test_everything_newest_first(self, learner, badges):
        assert list(user_badge_assertions(learner)) == badges[::-1]

    def test_course_filter(self, learner, badges):
        assert self.slugs(learner, course_id=str(COURSE)) == [("test_slug", COURSE)]

    def test_unused_course(self, learner, badges):
        assert self.slugs(learner, course_id="course-v1:edX+Unused+1") == []

    def test_slug_without_course_means_no_course(self, learner, badges):
        assert self.slugs(learner, slug="test_slug", issuing_component="test_component") == []
        assert self.slugs(learner, slug="global", issuing_component="test_component") == [("global", None)]

    def test_slug_with_wildcard_spans_courses(self, learner, badges):
        found = self.slugs(learner, slug="test_slug", issuing_component="test_component", course_id="*")
        assert sorted(str(key) for _, key in found) == sorted([str(COURSE), str(OTHER_COURSE)])

    def test_slug_with_course(self, learner, badges):
        assert self.slugs(learner, slug="test_slug", issuing_component="test_component",
                          course_id=str(OTHER_COURSE)) == [("test_slug", OTHER_COURSE)]

    def test_empty_issuing_component(self, learner, badges):
        assert self.slugs(learner, slug="plain") == [("plain", None)]
        assert self.slugs(learner, slug="plain", issuing_component="") == [("plain", None)]

    def test_empty_slug_keeps_only_course_less_badges(self, learner, badges):
        assert sorted(s for s, _ in self.slugs(learner, slug="")) == ["global", "plain"]

    def test_unused_class(self, learner, badges):
        assert self.slugs(learner, slug="unused_slug", issuing_component="unused_component") == []

    def test_one_query_with_badge_classes(self, learner, badges, django_assert_num_queries):
        with django_assert_num_queries(1):
            assert len([a.badge_class.slug for a in user_badge_assertions(learner)]) == 4


class TestAdminForm:
    def form(self, image):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from openedx_learner_apis.applets.badges.admin import BadgeClassForm

        upload = SimpleUploadedFile("icon.png", image.read(), content_type="image/png")
        data = {"slug": "Admin_Slug", "issuing_component": "Tool", "display_name": "A", "description": "d",
                "criteria": "c", "course_key": "", "mode": ""}
        return BadgeClassForm(data=data, files={"image": upload})

    def test_valid_upload_is_saved_lowercased(self):
        form = self.form(png())
        assert form.is_valid(), form.errors
        badge_class = form.save()
        assert (badge_class.slug, badge_class.issuing_component) == ("admin_slug", "tool")
        assert default_storage.exists(badge_class.image.name)

    def test_non_square_upload_is_refused(self):
        form = self.form(png(size=(60, 30)))
        assert not form.is_valid()
        assert form.errors["image"] == ["The badge image must be square."]
