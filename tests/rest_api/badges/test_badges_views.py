"""GET /api/badges/v1/assertions/user/{username}/ (rules in docs/badges.rst)."""

from __future__ import annotations

import datetime
import io
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse
from opaque_keys.edx.keys import CourseKey
from PIL import Image
from rest_framework.test import APIClient

from openedx_learner_apis import api
from openedx_learner_apis.applets.badges.models import BadgeAssertion

pytestmark = pytest.mark.django_db

COURSE = CourseKey.from_string("course-v1:edX+Badges+2024")
ALLOW_INACTIVE = override_settings(AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.AllowAllUsersModelBackend"])


def url(username="learner", **params):
    path = reverse("badges_api:user_assertions", kwargs={"username": username})
    return path + ("?" + urlencode(params) if params else "")


def png(name="test.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), (0, 0, 255)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=name)


def make_class(slug="test_slug", component="test_component", course_key=None):
    return api.create_badge_class(slug, component, course_key=course_key, display_name="Test Badge",
                                  description="Yay! It's a test badge.", criteria="https://example.com/syllabus",
                                  image=png())


def award(user, badge_class, index=0):
    return api.award_badge(user, badge_class, image_url=f"http://example.com/image{index}.png",
                           assertion_url=f"http://example.com/example{index}.json")


def born(years_ago: int) -> int:
    """A year of birth ``years_ago`` years before the test runs (read when called, never at import)."""
    return datetime.date.today().year - years_ago


def share(user, privacy="all_users", year_of_birth=1977, age=None, **preferences):
    api.get_or_create_profile(user, year_of_birth=born(age) if age is not None else year_of_birth)
    if privacy:
        api.set_account_privacy(user, privacy)
    for key, value in preferences.items():
        api.set_preference(user, key, value)


@pytest.fixture
def badge(learner):
    return award(learner, make_class())


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


class TestAuthorization:
    """One test per row of docs/badges.rst's permission matrix (an unknown user is 404 for all)."""

    def test_anonymous_reads_a_shared_profile(self, learner, badge):
        share(learner)
        assert len(results(APIClient().get(url()))) == 1

    @pytest.mark.parametrize("profile", [
        {"privacy": "private"},
        {"age": 10},
        {"year_of_birth": None},
        {"privacy": "custom"},
    ], ids=["private", "minor", "no-year-of-birth", "custom-without-preference"])
    def test_anonymous_gets_404_for_a_profile_that_does_not_share(self, learner, badge, profile):
        share(learner, **profile)
        response = APIClient().get(url())
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}

    def test_anonymous_unknown_user(self, db):
        assert APIClient().get(url("nobody")).status_code == 404

    def test_owner(self, learner, badge, session_client):
        assert len(results(session_client(learner).get(url()))) == 1

    def test_owner_with_another_case_sees_own_badges(self, learner, badge, session_client):
        assert len(results(session_client(learner).get(url("LEARNER")))) == 1

    def test_owner_with_private_minor_profile(self, learner, badge, session_client):
        share(learner, privacy="private", year_of_birth=born(8))
        assert len(results(session_client(learner).get(url()))) == 1

    def test_owner_with_jwt(self, learner, badge, jwt_client):
        assert len(results(jwt_client(learner).get(url()))) == 1

    @ALLOW_INACTIVE
    def test_inactive_owner(self, make_user, session_client):
        inactive = make_user("sleepy", is_active=False)
        award(inactive, make_class())
        assert len(results(session_client(inactive).get(url("sleepy")))) == 1

    def test_other_user_all_users_adult(self, learner, badge, other_learner, session_client):
        share(learner)
        assert len(results(session_client(other_learner).get(url()))) == 1

    def test_other_user_default_visibility_adult(self, learner, badge, other_learner, session_client):
        share(learner, privacy=None)
        assert len(results(session_client(other_learner).get(url()))) == 1

    def test_other_user_custom_with_preference(self, learner, badge, other_learner, session_client):
        share(learner, privacy="custom", **{"visibility.accomplishments_shared": "all_users"})
        assert len(results(session_client(other_learner).get(url()))) == 1

    def test_other_user_custom_without_preference(self, learner, badge, other_learner, session_client):
        share(learner, privacy="custom", **{"visibility.course_certificates": "all_users"})
        assert session_client(other_learner).get(url()).status_code == 404

    def test_other_user_private(self, learner, badge, other_learner, session_client):
        share(learner, privacy="private")
        assert session_client(other_learner).get(url()).status_code == 404

    def test_other_user_parental_consent(self, learner, badge, other_learner, session_client):
        share(learner, year_of_birth=born(12))
        assert session_client(other_learner).get(url()).status_code == 404

    def test_other_user_unknown_target(self, other_learner, session_client):
        assert session_client(other_learner).get(url("nobody")).status_code == 404

    def test_staff_reads_a_private_profile(self, learner, badge, staff_user, session_client):
        share(learner, privacy="private")
        assert len(results(session_client(staff_user).get(url()))) == 1

    def test_staff_with_jwt(self, learner, badge, staff_user, jwt_client):
        assert len(results(jwt_client(staff_user).get(url()))) == 1

    def test_staff_unknown_user_is_404(self, staff_user, session_client):
        response = session_client(staff_user).get(url("nobody"))
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}

    def test_superuser_without_is_staff_is_not_staff(self, learner, badge, make_user, session_client):
        share(learner, privacy="private")
        root = make_user("root", is_superuser=True)
        assert session_client(root).get(url()).status_code == 404

    def test_invalid_jwt_is_401(self, learner, badge):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="JWT not.a.token")
        assert client.get(url()).status_code == 401

    def test_expired_jwt_is_401(self, learner, badge, jwt_client):
        assert jwt_client(learner, expires_in=-60).get(url()).status_code == 401

    def test_post_by_owner_is_405(self, learner, session_client):
        response = session_client(learner).post(url())
        assert response.status_code == 405
        assert response.json() == {"detail": 'Method "POST" not allowed.'}

    def test_post_by_someone_not_allowed_is_404(self, learner, other_learner, session_client):
        share(learner, privacy="private")
        assert session_client(other_learner).post(url()).status_code == 404
        assert not BadgeAssertion.objects.exists()


class TestUpstreamScenarios:
    """The cases Open edX's own tests of this view cover, one test each (its ddt cases as parameters)."""

    @pytest.fixture
    def client(self, learner, session_client):
        return session_client(learner)

    def test_get_assertions(self, learner, other_learner, client):
        for index in range(3):
            award(learner, make_class(f"global{index}"), index)
        award(learner, make_class("scoped", course_key=COURSE))
        for index in range(3):
            make_class(f"unused{index}")
        award(other_learner, make_class("theirs"))
        assert len(results(client.get(url()))) == 4

    def assert_structure(self, item, assertion):
        badge_class = assertion.badge_class
        assert item["image_url"] == assertion.image_url
        assert item["assertion_url"] == assertion.assertion_url
        assert item["created"] == assertion.created.isoformat().replace("+00:00", "Z")
        assert {key: item["badge_class"][key] for key in ("slug", "issuing_component", "display_name",
                                                            "description", "criteria")} == {
            "slug": badge_class.slug, "issuing_component": badge_class.issuing_component,
            "display_name": badge_class.display_name, "description": badge_class.description,
            "criteria": badge_class.criteria}
        assert badge_class.image.url in item["badge_class"]["image_url"]
        assert item["badge_class"]["image_url"] == "http://testserver" + badge_class.image.url
        assert item["badge_class"]["course_id"] == (str(badge_class.course_key) if badge_class.course_key else None)

    def test_assertion_structure(self, learner, client):
        assertion = award(learner, make_class())
        self.assert_structure(results(client.get(url()))[0], assertion)

    def test_get_assertions_for_course(self, learner, other_learner, make_user, client):
        course_class = make_class(course_key=COURSE)
        for index in range(3):
            award(learner, course_class, index)
            award(learner, make_class(f"other{index}"), index)
        for index in range(6):
            award(make_user(f"u{index}"), course_class, index)
        assert len(results(client.get(url(course_id=str(COURSE))))) == 3
        assert results(client.get(url(course_id="course-v1:edX+Unused+2024"))) == []

    def test_assertion_structure_course(self, learner, client):
        assertion = award(learner, make_class(course_key=COURSE))
        self.assert_structure(results(client.get(url()))[0], assertion)

    CLASS_CASES = [(False, False), (True, False), (True, True)]

    @pytest.mark.parametrize(("check_course", "wildcard"), CLASS_CASES)
    def test_get_assertions_for_badge_class(self, learner, make_user, client, check_course, wildcard):
        course_key = COURSE if check_course else None
        badge_class = make_class(course_key=course_key)
        for index in range(3):
            award(learner, badge_class, index)
        if check_course:
            award(learner, make_class(course_key="course-v1:edX+Elsewhere+2024"), 9)
        for index in range(5):
            award(make_user(f"u{index}"), badge_class, index)
        for index in range(6):
            award(learner, make_class(f"random{index}"), index)
        params = {"slug": badge_class.slug, "issuing_component": badge_class.issuing_component}
        if check_course:
            params["course_id"] = "*" if wildcard else str(COURSE)
        assert len(results(client.get(url(**params)))) == (4 if wildcard else 3)
        assert results(client.get(url(slug="unused_slug", issuing_component="unused_component"))) == []

    @pytest.mark.parametrize(("check_course", "wildcard"), CLASS_CASES)
    def test_assertion_structure_by_class(self, learner, client, check_course, wildcard):
        badge_class = make_class(course_key=COURSE if check_course else None)
        assertion = award(learner, badge_class)
        params = {"slug": badge_class.slug, "issuing_component": badge_class.issuing_component}
        if check_course:
            params["course_id"] = "*" if wildcard else str(COURSE)
        self.assert_structure(results(client.get(url(**params)))[0], assertion)

    @pytest.mark.parametrize(("check_course", "wildcard"), CLASS_CASES)
    def test_empty_issuing_component(self, learner, client, check_course, wildcard):
        badge_class = make_class(component="", course_key=COURSE if check_course else None)
        assertion = award(learner, badge_class)
        params = {"slug": badge_class.slug, "issuing_component": ""}
        if check_course:
            params["course_id"] = "*" if wildcard else str(COURSE)
        found = results(client.get(url(**params)))
        assert len(found) == 1
        self.assert_structure(found[0], assertion)


class TestListing:
    @pytest.fixture
    def client(self, learner, session_client):
        return session_client(learner)

    @pytest.mark.parametrize("course_id", ["not-a-key", "foo+bar+baz", "course-v1:"])
    def test_malformed_course_id_is_400(self, learner, client, course_id):
        response = client.get(url(course_id=course_id))
        assert response.status_code == 400
        assert response.json() == {"detail": "The course key provided was invalid."}

    def test_malformed_course_id_for_a_hidden_profile_is_still_404(self, learner, other_learner, session_client):
        share(learner, privacy="private")
        assert session_client(other_learner).get(url(course_id="bad")).status_code == 404

    def test_newest_first(self, learner, client):
        first = award(learner, make_class("first"))
        second = award(learner, make_class("second"))
        BadgeAssertion.objects.filter(pk=first.pk).update(created=second.created + datetime.timedelta(hours=1))
        assert [item["badge_class"]["slug"] for item in results(client.get(url()))] == ["first", "second"]

    def test_envelope(self, learner, client):
        badge_class = make_class()
        for index in range(12):
            award(learner, badge_class, index)
        body = client.get(url(page_size=5, page=2)).json()
        assert set(body) == {"count", "next", "previous", "num_pages", "current_page", "start", "results"}
        assert (body["count"], body["num_pages"], body["current_page"], body["start"]) == (12, 3, 2, 5)
        assert body["next"].startswith("http://testserver/api/badges/v1/assertions/user/learner/?")
        assert "page=3" in body["next"] and "page_size=5" in body["next"]
        assert len(body["results"]) == 5

    def test_empty_envelope(self, learner, client):
        assert client.get(url()).json() == {"count": 0, "next": None, "previous": None, "num_pages": 1,
                                            "current_page": 1, "start": 0, "results": []}

    def test_default_page_size_is_10(self, learner, client):
        badge_class = make_class()
        for index in range(11):
            award(learner, badge_class, index)
        assert len(results(client.get(url()))) == 10

    @pytest.mark.parametrize(("page_size", "expected"), [("1000", 100), ("0", 10), ("-3", 10), ("abc", 10)])
    def test_page_size_is_clamped(self, learner, client, page_size, expected):
        badge_class = make_class()
        BadgeAssertion.objects.bulk_create([
            BadgeAssertion(user=learner, badge_class=badge_class, image_url="http://e.com/i.png",
                           assertion_url="http://e.com/a.json") for _ in range(101)])
        assert len(results(client.get(url(page_size=page_size)))) == expected

    @pytest.mark.parametrize("page", ["5", "abc", "0"])
    def test_invalid_page(self, learner, badge, client, page):
        response = client.get(url(page=page))
        assert response.status_code == 404
        assert response.json() == {"detail": "Invalid page."}

    def test_last_page(self, learner, badge, client):
        assert results(client.get(url(page="last")))

    @override_settings(OPENEDX_LEARNER_APIS={"URL_PREFIXES": {"badges": None}})
    def test_prefix_none_turns_badges_off(self):
        from openedx_learner_apis.urls import family_urlpatterns

        assert not any(str(getattr(pattern, "namespace", "")) == "badges_api" for pattern in family_urlpatterns())

    @pytest.mark.parametrize("requester", ["owner", "other", "anonymous"])
    def test_query_count_does_not_depend_on_badges(self, learner, other_learner, session_client, requester,
                                                   django_assert_num_queries):
        share(learner)
        client = {"owner": lambda: session_client(learner), "other": lambda: session_client(other_learner),
                  "anonymous": APIClient}[requester]()
        counts = []
        for total in (1, 30):
            BadgeAssertion.objects.all().delete()
            for index in range(total):
                award(learner, make_class(f"slug{index}"), index)
            with django_assert_num_queries(EXPECTED_QUERIES[requester]) as context:
                assert len(results(client.get(url(page_size=100)))) == total
            counts.append(len(context.captured_queries))
        assert counts[0] == counts[1]


# session + user (authenticated), then user lookup; others add profile and preferences; the page with its total.
EXPECTED_QUERIES = {"owner": 4, "other": 6, "anonymous": 4}
