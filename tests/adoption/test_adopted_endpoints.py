"""After an adoption, every endpoint family answers what the LMS's data implies.

The LMS rows are read back with the fixture's own models and turned into the expected
answers, learner by learner: the mobile v4 enrollments, the certificates, the badges, the
account with its profile image (Open edX's unversioned file names) and the courseware course
info of the demo course, whose outline is imported from its export.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model

from openedx_learner_apis.api import import_olx
from openedx_learner_apis.applets.courses.models import Course
from openedx_learner_apis.conf import learner_apis_settings
from openedx_learner_apis.management.adoption.runner import Adoption
from tests.course_exports import DEMO_OLX

from . import lms_schema as lms
from .conftest import DEMO_COURSE

pytestmark = pytest.mark.django_db(databases=["default", "lms"])
PASSING = {"downloadable", "generating"}


@pytest.fixture
def adopted(lms):
    assert str(import_olx(DEMO_OLX)) == DEMO_COURSE
    Adoption("lms").run()
    users = get_user_model().objects.in_bulk(field_name="username")
    by_lms_id = {lms_id: users[name] for name, lms_id in lms["user_ids"].items()}
    # Every fifth learner, the case twins and the staff member: the same rules hold for all.
    sample = [user for index, (name, user) in enumerate(sorted(users.items()))
              if (index % 5 == 0 or name.lower() == "alice" or name == "staffer") and user.is_active]
    return {"users": by_lms_id, "sample": sample, "courses": set(Course.objects.values_list("course_key", flat=True))}


def lms_rows(model, **filters):
    return list(model.objects.using("lms").filter(**filters))


def test_mobile_v4_lists_the_active_enrollments_of_known_courses(adopted, jwt_client):
    known = {str(key) for key in adopted["courses"]}
    mobile = {str(key) for key in Course.objects.filter(mobile_available=True).values_list("course_key", flat=True)}
    for user in adopted["sample"]:
        lms_id = next(pk for pk, ours in adopted["users"].items() if ours == user)
        expected = {row.course_id: row.mode for row in lms_rows(lms.CourseEnrollment, user_id=lms_id, is_active=True)
                    if row.course_id in known and row.course_id in mobile}
        body = jwt_client(user).get(f"/api/mobile/v4/users/{user.username}/course_enrollments/?page_size=100").json()
        items = body["enrollments"]["results"] + ([body["primary"]] if body.get("primary") else [])
        assert {item["course"]["id"]: item["mode"] for item in items} == expected, user.username


def test_certificates_list_the_passing_certificates_of_courses_that_show_them(adopted, jwt_client):
    showing = {str(course.course_key) for course in Course.objects.all() if course.has_any_active_web_certificate}
    for user in adopted["sample"]:
        lms_id = next(pk for pk, ours in adopted["users"].items() if ours == user)
        expected = {row.course_id for row in lms_rows(lms.GeneratedCertificate, user_id=lms_id)
                    if row.status in PASSING and row.course_id in showing}
        response = jwt_client(user).get(f"/api/certificates/v0/certificates/{user.username}/")
        assert response.status_code == 200
        assert {item["course_id"] for item in response.json()} == expected, user.username
        for row in lms_rows(lms.GeneratedCertificate, user_id=lms_id):
            if row.course_id in showing and row.status not in {"audit_passing", "audit_notpassing"}:
                path = f"/api/certificates/v0/certificates/{user.username}/courses/{row.course_id}/"
                one = jwt_client(user).get(path)
                assert one.json()["status"] == row.status


def test_badges_list_the_learners_assertions(adopted, jwt_client):
    classes = {row.id: row.slug for row in lms_rows(lms.BadgeClass)}
    expected = defaultdict(list)
    for row in lms_rows(lms.BadgeAssertion):
        if row.user_id in adopted["users"]:
            expected[adopted["users"][row.user_id].username].append(classes[row.badge_class_id])
    assert expected
    for user in get_user_model().objects.filter(username__in=list(expected), is_active=True):
        response = jwt_client(user).get(f"/api/badges/v1/assertions/user/{user.username}/")
        assert response.status_code == 200
        slugs = sorted(item["badge_class"]["slug"] for item in response.json()["results"])
        assert slugs == sorted(expected[user.username])


def test_accounts_show_the_profile_and_the_lms_image_files(adopted, jwt_client):
    seed = learner_apis_settings.PROFILE_IMAGE_HASH_SEED
    for user in adopted["sample"]:
        lms_id = next(pk for pk, ours in adopted["users"].items() if ours == user)
        profile = lms_rows(lms.UserProfile, user_id=lms_id)[0]
        body = jwt_client(user).get(f"/api/user/v1/accounts/{user.username}").json()
        assert body["name"] == profile.name
        assert body["year_of_birth"] == profile.year_of_birth
        image = body["profile_image"]
        assert image["has_image"] is (profile.profile_image_uploaded_at is not None)
        if image["has_image"]:
            stem = hashlib.md5(f"{seed}{user.username}".encode()).hexdigest()
            stamp = int(profile.profile_image_uploaded_at.timestamp())
            assert image["image_url_full"].endswith(f"/{stem}_500.jpg?v={stamp}")
            assert image["image_url_small"].endswith(f"/{stem}_30.jpg?v={stamp}")


def test_courseware_course_info_shows_the_adopted_enrollment_in_the_imported_course(adopted, jwt_client):
    rows = lms_rows(lms.CourseEnrollment, course_id=DEMO_COURSE)
    checked = 0
    for row in rows:
        user = adopted["users"].get(row.user_id)
        if user is None or not user.is_active:
            continue
        body = jwt_client(user).get(f"/api/courseware/course/{DEMO_COURSE}").json()
        assert body["enrollment"] == {"mode": row.mode, "is_active": row.is_active}
        checked += 1
    assert checked > 5
