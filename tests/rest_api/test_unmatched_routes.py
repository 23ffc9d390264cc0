"""A URL shaped like a family's route that no route matches is a JSON 404 in that family's shape.

Found by fuzzing the schema: usernames and keys the URL patterns reject (control
characters, quotes, an unknown mobile version) fell through to the host's HTML 404 page.
"""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve

from tests.robustness.openapi import assert_documented

pytestmark = pytest.mark.django_db

DEVELOPER_SHAPE = {"developer_message", "error_code"}
DETAIL_SHAPE = {"detail"}
MOBILE_SHAPE = {"detail", "developer_message", "error_code"}
PROFILE_IMAGE_SHAPE = {"developer_message", "user_message", "error_code"}  # every profile-image error has both

# (method, URL, path template of the operation whose 404 it must match, body keys)
UNMATCHED = [
    ("delete", "/api/user/v1/accounts/%C3%8F%C2%95%0B/image", "/api/user/v1/accounts/{username}/image",
     PROFILE_IMAGE_SHAPE),
    ("post", "/api/user/v1/accounts/a%2Fb/image", "/api/user/v1/accounts/{username}/image", PROFILE_IMAGE_SHAPE),
    ("post", "/api/profile_images/v1/%C2%B7/upload", "/api/profile_images/v1/{username}/upload", PROFILE_IMAGE_SHAPE),
    ("post", "/api/profile_images/v1/%F3%AA%8F%9A%C2%B6/remove", "/api/profile_images/v1/{username}/remove",
     PROFILE_IMAGE_SHAPE),
    ("get", "/api/badges/v1/assertions/user/%22Z/", "/api/badges/v1/assertions/user/{username}/", DETAIL_SHAPE),
    ("get", "/api/certificates/v0/certificates/%1E%F3%95%83%92/", "/api/certificates/v0/certificates/{username}/",
     DETAIL_SHAPE),
    ("get", "/api/certificates/v0/certificates/0/courses/0/",
     "/api/certificates/v0/certificates/{username}/courses/{course_key_string}/", {"error_code"}),
    ("get", "/api/mobile/AAA/my_user_info", "/api/mobile/{api_version}/my_user_info", MOBILE_SHAPE),
    ("get", "/api/mobile/AAA/users/learner", "/api/mobile/{api_version}/users/{username}", MOBILE_SHAPE),
    ("patch", "/api/mobile/AAA/users/0/course_status_info/0",
     "/api/mobile/{api_version}/users/{username}/course_status_info/{course_key_string}", MOBILE_SHAPE),
    ("get", "/api/mobile/v1/users/a%0Ab/enrollments_status/",
     "/api/mobile/{api_version}/users/{username}/enrollments_status/", MOBILE_SHAPE),
    ("get", "/api/courseware/course/0", "/api/courseware/course/{course_key_string}", DETAIL_SHAPE),
    ("get", "/api/courseware/resume/0", "/api/courseware/resume/{course_key_string}", DEVELOPER_SHAPE),
    ("post", "/api/courseware/celebration/0", "/api/courseware/celebration/{course_key_string}", DEVELOPER_SHAPE),
]


@pytest.mark.parametrize("method, url, operation, keys", UNMATCHED, ids=[case[1] for case in UNMATCHED])
@pytest.mark.parametrize("requester", ["anonymous", "learner"])
def test_unmatched_url_is_a_documented_json_404(api_client, jwt_client, learner, method, url, operation, keys,
                                                requester):
    client = jwt_client(learner) if requester == "learner" else api_client
    response = getattr(client, method)(url)
    assert response.status_code == 404
    assert set(response.json()) == keys
    assert "Allow" not in response  # the methods of the route it looks like are not this URL's
    assert_documented(response, method, operation)


def test_certificate_detail_names_the_part_that_does_not_parse(jwt_client, learner):
    response = jwt_client(learner).get("/api/certificates/v0/certificates/a%0A/courses/course-v1:edX+A+B")
    assert response.json() == {"error_code": "no_certificate_for_user"}


@pytest.mark.parametrize("url", [
    "/api/user/v1/accounts/learner/verifications",  # Open edX's other user APIs share this prefix
    "/api/user/v1/me",
    "/api/courseware/other/thing",
    "/api/certificates/v1/certificates/learner/",
])
def test_other_routes_under_shared_prefixes_are_left_to_the_host(url):
    with pytest.raises(Resolver404):
        resolve(url)


@pytest.mark.parametrize("url, view", [
    ("/api/user/v1/accounts/learner/image", "ProfileImageView"),
    ("/api/profile_images/v1/learner/upload", "ProfileImageUploadView"),
    ("/api/badges/v1/assertions/user/learner/", "UserBadgeAssertionsView"),
    ("/api/certificates/v0/certificates/learner/courses/course-v1:edX+A+B/", "CertificateDetailView"),
    ("/api/certificates/v0/certificates/learner/", "CertificateListView"),
    ("/api/mobile/v4/users/learner/course_enrollments/", "CourseEnrollmentsView"),
    ("/api/courseware/sequence/block-v1:edX+A+B+type@sequential+block@s", "SequenceMetadataView"),
])
def test_real_routes_still_win(url, view):
    assert resolve(url).func.view_class.__name__ == view
