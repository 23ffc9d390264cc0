"""Certificate display rules and the applet's read functions (docs/certificates.rst: detail, list, permissions)."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis import api
from openedx_learner_apis.applets.certificates.api import (
    CertificateNotConfigured,
    CertificateNotFound,
    get_user_certificate,
    viewable_certificates,
)
from openedx_learner_apis.applets.certificates.models import Certificate, CertificateStatuses
from openedx_learner_apis.applets.certificates.rules import (
    certificate_download_url,
    certificates_marked_public,
    certificates_viewable_for_course,
    certificates_visible_to,
    feature_enabled,
    has_certificate_to_show,
    html_certificates_enabled,
    is_passing,
)
from openedx_learner_apis.applets.courses.models import Course
from openedx_learner_apis.hooks import DefaultHooks

UTC = datetime.timezone.utc
NOW = datetime.datetime(2024, 6, 1, tzinfo=UTC)
PAST = NOW - datetime.timedelta(days=10)
FUTURE = NOW + datetime.timedelta(days=10)
KEY = CourseKey.from_string("course-v1:edx+verified+2024")

HTML_ON = override_settings(OPENEDX_LEARNER_APIS={"CERTIFICATES_HTML_VIEW": True})
V2_ON = override_settings(OPENEDX_LEARNER_APIS={"ENABLE_V2_CERT_DISPLAY_SETTINGS": True})


def course(**fields):
    defaults = {"course_key": KEY, "org": "edx", "number": "verified", "run": "2024"}
    return Course(**{**defaults, **fields})


def certificate(**fields):
    defaults = {"course_key": KEY, "status": "downloadable", "mode": "verified", "verify_uuid": "abc123"}
    return Certificate(**{**defaults, **fields})


class TestFlags:
    def test_default_off(self):
        assert not feature_enabled("CERTIFICATES_HTML_VIEW")

    @override_settings(FEATURES={"CERTIFICATES_HTML_VIEW": True})
    def test_host_features_flag_is_followed(self):
        assert feature_enabled("CERTIFICATES_HTML_VIEW")

    @override_settings(FEATURES={"CERTIFICATES_HTML_VIEW": True},
                       OPENEDX_LEARNER_APIS={"CERTIFICATES_HTML_VIEW": False})
    def test_our_setting_wins(self):
        assert not feature_enabled("CERTIFICATES_HTML_VIEW")


@pytest.mark.parametrize(("status", "expected"), [
    ("downloadable", True), ("generating", True), ("unverified", False), ("notpassing", False),
    ("audit_passing", False),
])
def test_is_passing(status, expected):
    assert is_passing(status) is expected


class TestDownloadUrl:
    def test_pdf_url_wins(self):
        assert certificate_download_url(certificate(download_url="www.google.com"), course()) == "www.google.com"

    @pytest.mark.parametrize("status", ["generating", "notpassing", "invalidated", "unavailable"])
    def test_not_downloadable_is_null_even_with_a_pdf(self, status):
        assert certificate_download_url(certificate(status=status, download_url="https://x/c.pdf"), course()) \
            is None

    def test_web_certificate_without_html_view_is_empty(self):
        assert certificate_download_url(certificate(), course()) == ""

    @HTML_ON
    def test_web_certificate_links_to_its_uuid(self):
        assert certificate_download_url(certificate(), course()) == "/certificates/abc123"

    @HTML_ON
    def test_web_certificate_without_uuid_is_empty(self):
        assert certificate_download_url(certificate(verify_uuid=""), course()) == ""

    @HTML_ON
    def test_course_with_html_view_off_is_empty(self):
        assert not html_certificates_enabled(course(cert_html_view_enabled=False))
        assert certificate_download_url(certificate(), course(cert_html_view_enabled=False)) == ""

    @HTML_ON
    def test_no_course_is_empty(self):
        assert certificate_download_url(certificate(), None) == ""

    @override_settings(FEATURES={"CERTIFICATES_HTML_VIEW": True},
                       OPENEDX_LEARNER_APIS={"HOOKS": f"{__name__}.CertificatePagesElsewhere"})
    def test_web_certificate_links_to_the_page_the_hook_names(self):
        """One home for a certificate's web page: the download URL and the courseware link agree."""
        assert certificate_download_url(certificate(), course()) == "https://certs.example.com/abc123"


class CertificatePagesElsewhere(DefaultHooks):
    def certificate_web_view_url(self, certificate):
        return f"https://certs.example.com/{certificate.verify_uuid}"


class TestViewableForCourse:
    @pytest.mark.parametrize(("fields", "expected"), [
        ({"self_paced": True}, True),
        ({"certificates_display_behavior": "early_with_info"}, True),
        ({"certificates_display_behavior": "early_no_info"}, True),
        ({"certificates_show_before_end": True}, True),
        ({"certificate_available_date": PAST}, True),
        ({"certificate_available_date": FUTURE, "end": PAST}, False),
        ({"end": PAST}, True),
        ({"end": FUTURE}, False),
        ({}, False),
    ])
    def test_v1(self, fields, expected):
        assert certificates_viewable_for_course(course(**fields), now=NOW) is expected

    @V2_ON
    @pytest.mark.parametrize(("fields", "expected"), [
        ({"certificates_display_behavior": "early_with_info"}, False),
        ({"certificates_display_behavior": "early_no_info"}, True),
        ({"certificates_display_behavior": "end_with_date", "certificate_available_date": PAST}, True),
        ({"certificates_display_behavior": "end", "certificate_available_date": PAST}, False),
        ({"certificates_display_behavior": "end", "end": PAST}, True),
        ({"certificates_display_behavior": "end_with_date", "end": PAST}, False),
        ({"self_paced": True}, True),
    ])
    def test_v2(self, fields, expected):
        assert certificates_viewable_for_course(course(**fields), now=NOW) is expected


def test_has_certificate_to_show():
    assert has_certificate_to_show(certificate(download_url="x"), None)
    assert not has_certificate_to_show(certificate(), course())
    assert has_certificate_to_show(certificate(), course(has_any_active_web_certificate=True))
    assert not has_certificate_to_show(certificate(), None)


def test_certificates_marked_public():
    assert certificates_marked_public({"visibility.course_certificates": "all_users"})
    assert not certificates_marked_public({"visibility.course_certificates": "private"})
    assert not certificates_marked_public({})


@pytest.mark.django_db
class TestVisibleTo:
    def test_owner_and_staff(self, learner, staff_user, other_learner):
        assert certificates_visible_to(learner, learner, preferences={})
        assert certificates_visible_to(staff_user, learner, preferences={})
        assert not certificates_visible_to(other_learner, learner, preferences={})

    def test_shared_profile(self, learner, other_learner):
        profile = api.get_or_create_profile(learner, year_of_birth=1977)
        assert certificates_visible_to(other_learner, learner, preferences={}, profile=profile)
        assert not certificates_visible_to(other_learner, learner, preferences={"account_privacy": "private"},
                                           profile=profile)


@pytest.mark.django_db
class TestGetUserCertificate:
    def test_found(self, learner):
        api.upsert_course(KEY, display_name="Verified Course", has_any_active_web_certificate=True)
        api.issue_certificate(learner, KEY, status="notpassing", mode="verified", grade="0.2")
        view = get_user_certificate(learner, KEY)
        assert (view.status, view.is_passing, view.download_url, view.grade) == ("notpassing", False, None, "0.2")

    def test_pdf_without_course(self, learner):
        api.issue_certificate(learner, KEY, status="downloadable", mode="honor", download_url="https://x/c.pdf")
        assert get_user_certificate(learner, KEY).download_url == "https://x/c.pdf"

    def test_none(self, learner):
        with pytest.raises(CertificateNotFound):
            get_user_certificate(learner, KEY)

    @pytest.mark.parametrize("status", sorted(CertificateStatuses.INELIGIBLE))
    def test_audit_results_are_not_certificates(self, learner, status):
        api.issue_certificate(learner, KEY, status=status, mode="audit", download_url="https://x/c.pdf")
        with pytest.raises(CertificateNotFound):
            get_user_certificate(learner, KEY)

    def test_web_certificate_without_course(self, learner):
        api.issue_certificate(learner, KEY, status="downloadable", mode="verified")
        with pytest.raises(CertificateNotFound):
            get_user_certificate(learner, KEY)

    def test_web_certificate_without_configuration(self, learner):
        api.upsert_course(KEY)
        api.issue_certificate(learner, KEY, status="downloadable", mode="verified")
        with pytest.raises(CertificateNotConfigured):
            get_user_certificate(learner, KEY)


class CatalogHooks(DefaultHooks):
    calls: list = []

    def course_run_titles(self, course_keys):
        self.calls.append(list(course_keys))
        return {key: f"Catalog {key.course}" for key in course_keys}


@pytest.mark.django_db
class TestViewableCertificates:
    def issue(self, user, key, *, status="downloadable", download_url="https://x/c.pdf", created=None, **course):
        key = CourseKey.from_string(key)
        if course.pop("exists", True):
            api.upsert_course(key, **{"self_paced": True, **course})
        cert = api.issue_certificate(user, key, status=status, mode="verified", download_url=download_url)
        if created:
            Certificate.objects.filter(pk=cert.pk).update(created_date=created)
        return key

    def test_only_passing_and_viewable_oldest_first(self, learner):
        late = self.issue(learner, "course-v1:edx+B+1", created=NOW)
        early = self.issue(learner, "course-v1:edx+A+1", created=PAST, display_name="Alpha", display_org="EDX")
        self.issue(learner, "course-v1:edx+C+1", status="notpassing")
        self.issue(learner, "course-v1:edx+D+1", status="audit_passing")
        self.issue(learner, "course-v1:edx+E+1", self_paced=False, end=datetime.datetime(2999, 1, 1, tzinfo=UTC))
        views = viewable_certificates(learner)
        assert [view.course_key for view in views] == [early, late]
        assert (views[0].course_display_name, views[0].course_organization) == ("Alpha", "EDX")
        assert (views[1].course_display_name, views[1].course_organization) == ("B", "edx")

    def test_same_creation_time_keeps_course_order(self, learner):
        b = self.issue(learner, "course-v1:edx+B+1", created=NOW)
        a = self.issue(learner, "course-v1:edx+A+1", created=NOW)
        assert [view.course_key for view in viewable_certificates(learner)] == [a, b]

    def test_web_certificate_needs_an_active_configuration(self, learner):
        self.issue(learner, "course-v1:edx+A+1", download_url="")
        assert viewable_certificates(learner) == []
        Course.objects.update(has_any_active_web_certificate=True)
        assert len(viewable_certificates(learner)) == 1

    def test_deleted_course_uses_the_catalog_title(self, learner):
        with override_settings(OPENEDX_LEARNER_APIS={"HOOKS": f"{__name__}.CatalogHooks"}):
            key = self.issue(learner, "edX/testDeletedCourse/2020", exists=False)
            views = viewable_certificates(learner)
        assert [(v.course_key, v.course_display_name, v.course_organization) for v in views] == \
            [(key, "Catalog testDeletedCourse", "edX")]
        assert CatalogHooks.calls[-1] == [key]

    def test_deleted_course_without_catalog_falls_back_to_the_key(self, learner):
        self.issue(learner, "edX/testDeletedCourse/2020", exists=False)
        assert viewable_certificates(learner)[0].course_display_name == "testDeletedCourse"

    def test_deleted_course_web_certificate_is_dropped(self, learner):
        self.issue(learner, "edX/testDeletedCourse/2020", exists=False, download_url="")
        assert viewable_certificates(learner) == []

    @pytest.mark.parametrize("count", [1, 30])
    def test_two_queries_whatever_the_count(self, learner, count, django_assert_num_queries):
        for index in range(count):
            self.issue(learner, f"course-v1:edx+C{index}+1")
        with django_assert_num_queries(2):
            assert len(viewable_certificates(learner)) == count
