"""HTTP tests of the profile image routes: the authorization matrix on every route, inputs, failures."""

from __future__ import annotations

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openedx_learner_apis.applets.learners.models import LearnerProfile
from openedx_learner_apis.applets.profile_images.api import get_profile_image_urls, set_profile_image
from openedx_learner_apis.applets.profile_images.storage import username_hash
from openedx_learner_apis.signals import profile_image_removed, profile_image_uploaded
from tests.applets.profile_images.storages import image_bytes, uploaded_image

pytestmark = pytest.mark.django_db

CURRENT = "accounts_profile_image_api:accounts_profile_image_api"
LEGACY_UPLOAD = "profile_images:profile_image_upload"
LEGACY_REMOVE = "profile_images:profile_image_remove"
UPLOAD_ROUTES = [pytest.param(CURRENT, "post", id="current-POST"),
                 pytest.param(LEGACY_UPLOAD, "post", id="legacy-upload")]
REMOVE_ROUTES = [pytest.param(CURRENT, "delete", id="current-DELETE"),
                 pytest.param(LEGACY_REMOVE, "post", id="legacy-remove")]
NOT_FOUND = {"developer_message": "Not found.", "user_message": "This account was not found.",
             "error_code": "not_found"}
NO_FILE = "No file provided for profile image"
SIZES = (500, 120, 50, 30)


def url(route: str, username: str) -> str:
    return reverse(route, kwargs={"username": username})


def upload(client, route, method, username="learner", file=None, **data):
    data = {"file": uploaded_image() if file is None else file, **data}
    return getattr(client, method)(url(route, username), data, format="multipart")


def raw_upload(client, route, method, body, content_type, filename=None, username="learner"):
    headers = {"HTTP_CONTENT_DISPOSITION": f"attachment;filename={filename}"} if filename else {}
    return getattr(client, method)(url(route, username), body, content_type=content_type, **headers)


def remove(client, route, method, username="learner"):
    return getattr(client, method)(url(route, username))


def image_names(username, version) -> set[str]:
    return {f"{username_hash(username)}_{side}_{version}.jpg" for side in SIZES}


def profile_of(user) -> LearnerProfile | None:
    return LearnerProfile.objects.filter(user=user).first()


@pytest.fixture
def received():
    """Signals received during the test."""
    calls = []

    def receiver(signal, sender, **kwargs):
        calls.append(signal)

    profile_image_uploaded.connect(receiver)
    profile_image_removed.connect(receiver)
    yield calls
    profile_image_uploaded.disconnect(receiver)
    profile_image_removed.disconnect(receiver)


@pytest.fixture
def client(learner, session_client):
    return session_client(learner)


@pytest.fixture
def with_image(learner, profile_storage, django_capture_on_commit_callbacks):
    """The learner already has an image; returns its profile."""
    with django_capture_on_commit_callbacks(execute=True):
        profile = set_profile_image(learner, uploaded_image(".png"))
    profile_storage.journal.clear()
    return profile


def assert_no_image(user, profile_storage):
    assert profile_storage.files() == set()
    profile = profile_of(user)
    assert profile is None or not profile.has_profile_image


def assert_image_kept(profile, profile_storage):
    current = profile_of(profile.user)
    assert (current.profile_image_version, current.profile_image_uploaded_at) == (
        profile.profile_image_version, profile.profile_image_uploaded_at)
    assert profile_storage.files() == image_names(profile.user.username, profile.profile_image_version)


def assert_uploaded(user, profile_storage):
    profile = profile_of(user)
    assert profile.has_profile_image
    assert image_names(user.username, profile.profile_image_version) <= profile_storage.files()
    return profile


# --- the authorization matrix, one test per row and route -----------------------------


@pytest.mark.parametrize("route, method", UPLOAD_ROUTES)
class TestUploadAuthorization:
    def test_anonymous_is_401(self, route, method, learner, api_client, profile_storage, received):
        response = upload(api_client, route, method)
        assert response.status_code == 401
        assert "developer_message" in response.json()
        assert_no_image(learner, profile_storage)
        assert received == []

    def test_owner_with_session(self, route, method, learner, client, profile_storage,
                                django_capture_on_commit_callbacks, received):
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(client, route, method)
        assert response.status_code == 204
        assert response.data is None
        assert_uploaded(learner, profile_storage)
        assert received == [profile_image_uploaded]

    def test_owner_with_jwt(self, route, method, learner, jwt_client, profile_storage):
        assert upload(jwt_client(learner), route, method).status_code == 204
        assert_uploaded(learner, profile_storage)

    def test_inactive_owner_with_jwt(self, route, method, make_user, jwt_client, profile_storage):
        inactive = make_user("learner", is_active=False)
        assert upload(jwt_client(inactive), route, method).status_code == 204
        assert_uploaded(inactive, profile_storage)

    def test_inactive_owner_with_session(self, route, method, make_user, session_client, profile_storage,
                                         settings):
        settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.AllowAllUsersModelBackend"]
        inactive = make_user("learner", is_active=False)
        assert upload(session_client(inactive), route, method).status_code == 204
        assert_uploaded(inactive, profile_storage)

    def test_other_learner_gets_404(self, route, method, learner, other_learner, session_client, profile_storage,
                                    received):
        response = upload(session_client(other_learner), route, method, username="learner")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert_no_image(learner, profile_storage)
        assert received == []

    def test_other_learner_gets_the_same_404_for_a_missing_user(self, route, method, other_learner, session_client,
                                                                profile_storage):
        response = upload(session_client(other_learner), route, method, username="nonexistent")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert profile_storage.files() == set()

    def test_staff_uploading_for_someone_else_gets_403(self, route, method, learner, staff_user, session_client,
                                                       profile_storage, received):
        response = upload(session_client(staff_user), route, method, username="learner")
        assert response.status_code == 403
        assert response.json()["developer_message"] == (
            "Staff may remove another user's profile image but may not upload one.")
        assert_no_image(learner, profile_storage)
        assert received == []

    def test_staff_uploading_for_a_missing_user_gets_404(self, route, method, staff_user, session_client,
                                                         profile_storage):
        response = upload(session_client(staff_user), route, method, username="nonexistent")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)

    def test_staff_uploading_their_own(self, route, method, staff_user, session_client, profile_storage):
        assert upload(session_client(staff_user), route, method, username="staff").status_code == 204
        assert_uploaded(staff_user, profile_storage)


@pytest.mark.parametrize("route, method", REMOVE_ROUTES)
class TestRemoveAuthorization:
    def test_anonymous_is_401(self, route, method, with_image, api_client, profile_storage):
        response = remove(api_client, route, method)
        assert response.status_code == 401
        assert "developer_message" in response.json()
        assert_image_kept(with_image, profile_storage)

    def test_owner_with_session(self, route, method, learner, with_image, client, profile_storage,
                                django_capture_on_commit_callbacks, received):
        with django_capture_on_commit_callbacks(execute=True):
            response = remove(client, route, method)
        assert (response.status_code, response.data) == (204, None)
        assert_no_image(learner, profile_storage)
        assert received == [profile_image_removed]

    def test_owner_with_jwt(self, route, method, learner, with_image, jwt_client, profile_storage):
        assert remove(jwt_client(learner), route, method).status_code == 204
        assert not profile_of(learner).has_profile_image

    def test_owner_without_image(self, route, method, client, profile_storage):
        assert remove(client, route, method).status_code == 204

    def test_inactive_owner_with_jwt(self, route, method, learner, with_image, jwt_client, profile_storage):
        learner.is_active = False
        learner.save()
        assert remove(jwt_client(learner), route, method).status_code == 204
        assert not profile_of(learner).has_profile_image

    def test_inactive_owner_with_session(self, route, method, learner, with_image, session_client,
                                         profile_storage, settings):
        settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.AllowAllUsersModelBackend"]
        learner.is_active = False
        learner.save()
        assert remove(session_client(learner), route, method).status_code == 204
        assert not profile_of(learner).has_profile_image

    def test_other_learner_gets_404(self, route, method, with_image, other_learner, session_client,
                                    profile_storage, received):
        response = remove(session_client(other_learner), route, method, username="learner")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert_image_kept(with_image, profile_storage)
        assert received == []

    def test_other_learner_gets_the_same_404_for_a_missing_user(self, route, method, other_learner,
                                                                session_client):
        response = remove(session_client(other_learner), route, method, username="nonexistent")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)

    def test_staff_removes_someone_elses_image(self, route, method, learner, with_image, staff_user, session_client,
                                               profile_storage, django_capture_on_commit_callbacks, received):
        with django_capture_on_commit_callbacks(execute=True):
            response = remove(session_client(staff_user), route, method, username="learner")
        assert response.status_code == 204
        assert_no_image(learner, profile_storage)
        assert received == [profile_image_removed]

    def test_staff_removing_for_a_missing_user_gets_404(self, route, method, staff_user, session_client):
        response = remove(session_client(staff_user), route, method, username="nonexistent")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("route, method", [*UPLOAD_ROUTES, *REMOVE_ROUTES])
def test_404_does_not_reveal_whether_the_account_exists(route, method, learner, other_learner, session_client,
                                                        profile_storage):
    client = session_client(other_learner)
    existing, missing = (getattr(client, method)(url(route, name), {"file": uploaded_image()}, format="multipart")
                         for name in ("learner", "nobody"))
    assert existing.status_code == missing.status_code == 404
    assert existing.content == missing.content
    assert sorted(existing.items()) == sorted(missing.items())


# --- methods ---------------------------------------------------------------------------------


@pytest.mark.parametrize("route, method", [
    (CURRENT, "get"), (CURRENT, "put"), (CURRENT, "patch"),
    (LEGACY_UPLOAD, "get"), (LEGACY_UPLOAD, "put"), (LEGACY_UPLOAD, "patch"), (LEGACY_UPLOAD, "delete"),
    (LEGACY_REMOVE, "get"), (LEGACY_REMOVE, "put"), (LEGACY_REMOVE, "patch"), (LEGACY_REMOVE, "delete"),
])
def test_other_methods_are_405(route, method, client, profile_storage, received):
    response = getattr(client, method)(url(route, "learner"))
    assert response.status_code == 405
    assert "developer_message" in response.json()
    assert received == []


# --- inputs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("route, method", UPLOAD_ROUTES)
class TestUploadInputs:
    @pytest.mark.parametrize("extension", [".jpg", ".jpeg", ".png", ".gif", ".GIF"])
    def test_multipart(self, route, method, extension, learner, client, profile_storage):
        assert upload(client, route, method, file=uploaded_image(extension)).status_code == 204
        assert_uploaded(learner, profile_storage)

    @pytest.mark.parametrize("content_type, extension", [
        ("image/jpeg", ".jpg"), ("image/jpeg", ".jpeg"), ("image/pjpeg", ".jpg"), ("image/pjpeg", ".jpeg"),
        ("image/png", ".png"), ("image/gif", ".gif"), ("image/gif", ".GIF"),
        ("image/png; charset=binary", ".png"), ("IMAGE/PNG", ".png"),
    ])
    def test_raw_upload(self, route, method, content_type, extension, learner, client, profile_storage):
        body = image_bytes({".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF"}[extension.lower()])
        response = raw_upload(client, route, method, body, content_type, filename=f"filename{extension}")
        assert response.status_code == 204
        assert_uploaded(learner, profile_storage)

    def test_raw_upload_with_rfc_2231_filename(self, route, method, learner, client, profile_storage):
        response = getattr(client, method)(url(route, "learner"), image_bytes("PNG"), content_type="image/png",
                                           HTTP_CONTENT_DISPOSITION="attachment; filename*=UTF-8''caf%C3%A9.png")
        assert response.status_code == 204

    @pytest.mark.parametrize("content_type", ["image/tiff", "application/json", "text/plain", "image/svg+xml"])
    def test_raw_upload_of_another_type_is_415(self, route, method, content_type, learner, client, profile_storage,
                                               received):
        response = raw_upload(client, route, method, b"x" * 200, content_type, filename="filename.tiff")
        assert response.status_code == 415
        assert content_type in response.json()["developer_message"]
        assert_no_image(learner, profile_storage)
        assert received == []

    def test_raw_upload_without_filename_is_400(self, route, method, learner, client, profile_storage):
        response = raw_upload(client, route, method, image_bytes("PNG"), "image/png")
        assert response.status_code == 400
        assert "Missing filename" in response.json()["developer_message"]
        assert_no_image(learner, profile_storage)

    def test_raw_upload_with_mismatched_extension_is_400(self, route, method, learner, client, profile_storage):
        response = raw_upload(client, route, method, image_bytes("PNG"), "image/png", filename="filename.jpg")
        assert response.status_code == 400
        assert "'filename.jpg'" in response.json()["developer_message"]
        assert_no_image(learner, profile_storage)

    @pytest.mark.parametrize("data", [{}, {"file": "not a file"}], ids=["nothing", "text-field"])
    def test_no_file_is_400(self, route, method, data, learner, client, profile_storage):
        response = getattr(client, method)(url(route, "learner"), data, format="multipart")
        assert response.status_code == 400
        assert response.json() == {"developer_message": NO_FILE, "user_message": NO_FILE}
        assert_no_image(learner, profile_storage)

    def test_urlencoded_body_is_400(self, route, method, learner, client, profile_storage):
        response = getattr(client, method)(url(route, "learner"), "file=abc",
                                           content_type="application/x-www-form-urlencoded")
        assert (response.status_code, response.json()["developer_message"]) == (400, NO_FILE)

    def test_empty_raw_body_is_400(self, route, method, learner, client, profile_storage):
        response = raw_upload(client, route, method, b"", "image/png", filename="a.png")
        assert (response.status_code, response.json()["developer_message"]) == (400, NO_FILE)

    def test_malformed_multipart_is_400(self, route, method, learner, client, profile_storage):
        response = getattr(client, method)(url(route, "learner"), b"garbage",
                                           content_type="multipart/form-data; boundary=")
        assert response.status_code == 400
        assert "developer_message" in response.json()

    @pytest.mark.parametrize("name, content, content_type, message", [
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 10, "image/png", "The file must be at least 100 bytes in size."),
        ("a.png", image_bytes("PNG", (900, 900)), "image/png", "The file must be smaller than 1 MB in size."),
        ("a.bmp", image_bytes("BMP"), "image/bmp",
         "The file must be one of the following types: .jpeg, .jpg, .png, .gif, .webp, .heic, .heif, .avif."),
        ("a.png", image_bytes("PNG"), "image/jpeg",
         "The Content-Type header for this file does not match the file data. The file may be corrupted."),
        ("a.jpg", image_bytes("PNG"), "image/jpeg",
         "The file name extension for this file does not match the file data. The file may be corrupted."),
        ("a.png", image_bytes("PNG")[:150], "image/png",
         "The file could not be read as an image. It may be corrupted."),
    ], ids=["too-small", "too-large", "bad-type", "content-type-mismatch", "magic-mismatch", "corrupt"])
    def test_validation_failures_are_400(self, route, method, name, content, content_type, message, learner,
                                         client, profile_storage, received, caplog):
        caplog.set_level(logging.INFO)
        response = upload(client, route, method, file=SimpleUploadedFile(name, content, content_type))
        assert response.status_code == 400
        assert response.json() == {"developer_message": message, "user_message": message}
        assert_no_image(learner, profile_storage)
        assert received == []
        assert "generated and uploaded images" not in caplog.text

    def test_raw_body_above_the_size_limit_is_400(self, route, method, learner, client, profile_storage, settings):
        settings.OPENEDX_LEARNER_APIS = {**settings.OPENEDX_LEARNER_APIS, "PROFILE_IMAGE_MAX_BYTES": 1024}
        response = raw_upload(client, route, method, image_bytes("PNG", (200, 200)), "image/png", filename="a.png")
        assert response.status_code == 400
        assert response.json()["user_message"] == "The file must be smaller than 1 KB in size."

    def test_body_beyond_djangos_limit_is_413(self, route, method, learner, client, profile_storage, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
        response = upload(client, route, method, note="x" * 2000)
        assert response.status_code == 413
        assert response.json() == {"developer_message": "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.",
                                   "user_message": "The file is too large."}
        assert_no_image(learner, profile_storage)

    def test_too_many_fields_is_400(self, route, method, learner, client, profile_storage, settings):
        settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2
        response = upload(client, route, method, **{f"field{n}": "x" for n in range(5)})
        assert response.status_code == 400
        assert response.json()["user_message"] == "Send only the image file."

    def test_storage_failure_is_400_and_keeps_the_old_images(self, route, method, learner, with_image, client,
                                                             profile_storage, received):
        served = get_profile_image_urls(learner)
        profile_storage.use(fail_on_save=3)
        response = upload(client, route, method, file=uploaded_image(".jpg"))
        assert response.status_code == 400
        assert response.json() == {
            "developer_message": "Upload failed for profile image: the storage raised OSError.",
            "user_message": "Your profile image could not be saved. Please try again later."}
        assert_image_kept(with_image, profile_storage)
        assert get_profile_image_urls(learner) == served
        assert received == []

    def test_replace_deletes_the_old_files_after_commit(self, route, method, learner, with_image, client,
                                                        profile_storage, django_capture_on_commit_callbacks):
        old = image_names("learner", with_image.profile_image_version)
        with django_capture_on_commit_callbacks(execute=True):
            assert upload(client, route, method, file=uploaded_image(".gif")).status_code == 204
        new = image_names("learner", profile_of(learner).profile_image_version)
        assert profile_storage.files() == new
        operations = profile_storage.journal
        assert {name for op, name in operations[:4]} == new and {op for op, _ in operations[:4]} == {"save"}
        assert {name for op, name in operations[4:]} == old and {op for op, _ in operations[4:]} == {"delete"}

    def test_username_in_another_case_writes_under_the_canonical_name(self, route, method, learner, client,
                                                                      profile_storage):
        assert upload(client, route, method, username="LEARNER").status_code == 204
        profile = assert_uploaded(learner, profile_storage)
        assert profile_storage.files() == image_names("learner", profile.profile_image_version)

    def test_success_is_logged_once(self, route, method, learner, client, profile_storage, caplog):
        caplog_logger = "openedx_learner_apis.applets.profile_images.api"
        caplog.set_level(logging.INFO, logger=caplog_logger)
        upload(client, route, method)
        messages = [record.getMessage() for record in caplog.records if record.name == caplog_logger]
        assert len(messages) == 1 and messages[0].startswith("generated and uploaded images [")


# --- query counts ----------------------------------------------------------------------------


class TestQueryCounts:
    """Session auth (session + user), then the applet; each ``atomic`` adds SAVEPOINT/RELEASE in tests."""

    def test_first_upload(self, client, profile_storage, django_assert_num_queries):
        with django_assert_num_queries(8):
            assert upload(client, CURRENT, "post").status_code == 204

    def test_replace(self, client, with_image, django_assert_num_queries):
        with django_assert_num_queries(6):
            assert upload(client, CURRENT, "post").status_code == 204

    def test_remove(self, client, with_image, django_assert_num_queries):
        with django_assert_num_queries(6):
            assert remove(client, CURRENT, "delete").status_code == 204

    def test_staff_remove(self, staff_user, session_client, with_image, django_assert_num_queries):
        staff = session_client(staff_user)
        with django_assert_num_queries(8):
            assert remove(staff, CURRENT, "delete", username="learner").status_code == 204
