"""GET and PATCH /api/user/v1/accounts/{username}, and the list form ?username=a,b."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from openedx_learner_apis import api
from openedx_learner_apis.applets.learners.models import LearnerProfile
from tests.applets.profile_images.storages import image_bytes

from .conftest import account_url, born, list_url, merge_patch, share

pytestmark = pytest.mark.django_db

EVERY_FIELD = {
    "username", "name", "email", "profile_image", "bio", "country", "language_proficiencies", "level_of_education",
    "social_links", "year_of_birth", "requires_parental_consent", "account_privacy", "accomplishments_shared",
    "date_joined", "is_active",
}
PUBLIC = {"username", "profile_image", "account_privacy"}
IMAGE_KEYS = {"has_image", "image_url_full", "image_url_large", "image_url_medium", "image_url_small"}


class TestRead:
    def test_owner_reads_the_open_edx_shape(self, filled_profile, jwt_client):
        body = jwt_client(filled_profile).get(account_url("learner")).json()
        assert set(body) == EVERY_FIELD
        assert body["name"] == "Lena Learner" and body["bio"] == "I like maths."
        assert body["country"] == "FR" and body["level_of_education"] == "m" and body["year_of_birth"] == 1990
        assert body["language_proficiencies"] == [{"code": "en"}, {"code": "fr"}]
        assert body["social_links"] == [{"platform": "twitter", "social_link": "https://www.twitter.com/lena"}]
        assert body["requires_parental_consent"] is False and body["account_privacy"] == "all_users"
        assert body["accomplishments_shared"] is True and body["is_active"] is True
        assert set(body["profile_image"]) == IMAGE_KEYS and body["profile_image"]["has_image"] is False
        assert body["profile_image"]["image_url_full"].startswith("http://testserver/")
        assert body["date_joined"].endswith("Z") and "." not in body["date_joined"]

    def test_an_account_without_a_profile_reads_empty_values_and_writes_nothing(self, learner, jwt_client):
        body = jwt_client(learner).get(account_url("learner")).json()
        assert body["name"] == "" and body["bio"] is None and body["country"] is None
        assert body["language_proficiencies"] == [] and body["social_links"] == []
        assert body["requires_parental_consent"] is True and body["account_privacy"] == "private"
        assert not LearnerProfile.objects.exists()

    @override_settings(OPENEDX_LEARNER_APIS={"URL_PREFIXES": {"badges": None}})
    def test_accomplishments_are_not_shared_without_the_badges_routes(self, learner, jwt_client):
        assert jwt_client(learner).get(account_url("learner")).json()["accomplishments_shared"] is False

    @pytest.mark.parametrize("profile", [
        {"privacy": "private"},
        {"year_of_birth": None},
        {"privacy": "custom"},
    ], ids=["private", "no-year-of-birth", "custom-sharing-nothing"])
    def test_others_see_only_public_fields(self, profile, filled_profile, other_learner, jwt_client):
        share(filled_profile, **profile)
        body = jwt_client(other_learner).get(account_url("learner")).json()
        assert set(body) == PUBLIC

    def test_a_minor_is_private_whatever_the_preference(self, filled_profile, other_learner, jwt_client):
        share(filled_profile, year_of_birth=born(12))
        body = jwt_client(other_learner).get(account_url("learner")).json()
        assert set(body) == PUBLIC and body["account_privacy"] == "private"

    def test_all_users_shares_the_bulk_fields(self, filled_profile, other_learner, jwt_client):
        body = jwt_client(other_learner).get(account_url("learner")).json()
        assert set(body) == PUBLIC | {"name", "bio", "country", "language_proficiencies", "level_of_education",
                                      "social_links", "date_joined", "accomplishments_shared"}

    def test_custom_shares_the_fields_chosen(self, filled_profile, other_learner, jwt_client):
        share(filled_profile, privacy="custom", **{"visibility.bio": "all_users", "visibility.country": "private"})
        body = jwt_client(other_learner).get(account_url("learner")).json()
        assert set(body) == PUBLIC | {"bio"} and body["account_privacy"] == "custom"

    @override_settings(OPENEDX_LEARNER_APIS={"ACCOUNT_VISIBILITY_CONFIGURATION": {
        "bulk_shareable_fields": ["username", "email", "bio"]}})
    def test_email_is_never_shared_even_when_configured(self, filled_profile, other_learner, jwt_client):
        body = jwt_client(other_learner).get(account_url("learner")).json()
        assert "email" not in body and "bio" in body

    def test_owner_asks_for_the_shared_view(self, filled_profile, jwt_client):
        share(filled_profile, privacy="private")
        response = jwt_client(filled_profile).get(account_url("learner"), {"view": "shared"})
        assert set(response.json()) == PUBLIC

    def test_image_upload_and_removal_show_in_the_account(self, learner, jwt_client, profile_storage):
        """The profile MFE re-reads the account after each image call and shows ``image_url_full``."""
        client = jwt_client(learner)
        image_url = reverse("accounts_profile_image_api:accounts_profile_image_api", kwargs={"username": "learner"})
        upload = SimpleUploadedFile("me.jpg", image_bytes("JPEG"), content_type="image/jpeg")
        assert client.post(image_url, {"file": upload}, format="multipart").status_code == 204
        image = client.get(account_url("learner")).json()["profile_image"]
        assert image["has_image"] is True and "?v=" in image["image_url_full"]
        assert client.delete(image_url).status_code == 204
        assert client.get(account_url("learner")).json()["profile_image"]["has_image"] is False


class TestUpdate:
    def test_android_patch_after_upload_answers_the_profile_image(self, learner, jwt_client):
        response = merge_patch(jwt_client(learner), account_url("learner"), {})
        assert response.status_code == 200
        assert set(response.json()["profile_image"]) == IMAGE_KEYS

    def test_edit_profile_screen_writes_every_field_in_one_patch(self, learner, jwt_client):
        changes = {"name": "Lena", "bio": "Hi", "country": "DE", "level_of_education": "b", "year_of_birth": 1985,
                   "language_proficiencies": [{"code": "de"}],
                   "social_links": [{"platform": "linkedin", "social_link": "https://www.linkedin.com/in/lena/"}]}
        body = merge_patch(jwt_client(learner), account_url("learner"), changes).json()
        assert body["name"] == "Lena" and body["bio"] == "Hi" and body["country"] == "DE"
        assert body["level_of_education"] == "b" and body["year_of_birth"] == 1985
        assert body["language_proficiencies"] == [{"code": "de"}]
        assert body["social_links"] == [{"platform": "linkedin", "social_link": "https://www.linkedin.com/in/lena"}]
        assert body["profile_image"]["has_image"] is False

    def test_null_clears_a_field(self, filled_profile, jwt_client):
        body = merge_patch(jwt_client(filled_profile), account_url("learner"),
                           {"bio": None, "country": None, "year_of_birth": None}).json()
        assert body["bio"] is None and body["country"] is None and body["year_of_birth"] is None

    def test_social_links_replace_only_the_platforms_named(self, filled_profile, jwt_client):
        client = jwt_client(filled_profile)
        body = merge_patch(client, account_url("learner"),
                           {"social_links": [{"platform": "facebook", "social_link": "lena.fb"}]}).json()
        assert [link["platform"] for link in body["social_links"]] == ["facebook", "twitter"]
        body = merge_patch(client, account_url("learner"),
                           {"social_links": [{"platform": "twitter", "social_link": ""}]}).json()
        assert body["social_links"] == [{"platform": "facebook", "social_link": "https://www.facebook.com/lena.fb"}]

    @pytest.mark.parametrize("field, value", [
        ("bio", "x" * 301),
        ("country", "ZZ"),
        ("country", "fr"),
        ("level_of_education", "phd"),
        ("language_proficiencies", [{"code": "xx"}]),
        ("language_proficiencies", [{"code": "en"}, {"code": "en"}]),
        ("language_proficiencies", "en"),
        ("social_links", [{"platform": "myspace", "social_link": "me"}]),
        ("social_links", [{"platform": "twitter", "social_link": "https://evil.example/lena"}]),
        ("social_links", [{"platform": "twitter", "social_link": "a"}, {"platform": "twitter", "social_link": "b"}]),
        ("year_of_birth", 1200),
        ("year_of_birth", "nineteen"),
        ("year_of_birth", True),
        ("name", ""),
        ("name", None),
        ("name", "<script>"),
        ("name", "visit https://spam.example"),
        ("gender", "f"),
        ("email", "new@example.com"),
        ("username", "renamed"),
        ("profile_image", {"has_image": True}),
        ("requires_parental_consent", False),
        ("account_privacy", "all_users"),
        ("is_active", False),
    ])
    def test_refused_fields_answer_field_errors(self, field, value, filled_profile, jwt_client):
        response = merge_patch(jwt_client(filled_profile), account_url("learner"), {field: value})
        assert response.status_code == 400
        errors = response.json()["field_errors"]
        assert set(errors) == {field}
        assert set(errors[field]) == {"developer_message", "user_message"}

    def test_one_bad_field_writes_nothing(self, filled_profile, jwt_client):
        before = LearnerProfile.objects.get(user=filled_profile)
        response = merge_patch(jwt_client(filled_profile), account_url("learner"), {
            "bio": "new", "name": "New", "social_links": [{"platform": "facebook", "social_link": "x"}],
            "country": "ZZ", "email": "x@example.com",
        })
        assert set(response.json()["field_errors"]) == {"country", "email"}
        after = LearnerProfile.objects.get(user=filled_profile)
        assert (after.bio, after.name, after.social_links) == (before.bio, before.name, before.social_links)

    def test_plain_json_is_415(self, learner, jwt_client):
        response = merge_patch(jwt_client(learner), account_url("learner"), {"bio": "x"},
                               content_type="application/json")
        assert response.status_code == 415
        assert "developer_message" in response.json()

    @pytest.mark.parametrize("body", [[1, 2], "text", 3])
    def test_a_body_that_is_not_an_object_is_400(self, body, learner, jwt_client):
        response = merge_patch(jwt_client(learner), account_url("learner"), body)
        assert response.status_code == 400 and "developer_message" in response.json()

    def test_malformed_json_is_400(self, learner, jwt_client):
        response = jwt_client(learner).patch(account_url("learner"), b"{", content_type="application/merge-patch+json")
        assert response.status_code == 400 and "developer_message" in response.json()

    def test_put_and_post_are_405(self, learner, jwt_client):
        assert jwt_client(learner).put(account_url("learner"), {}, format="json").status_code == 405
        assert jwt_client(learner).post(account_url("learner"), {}, format="json").status_code == 405


class TestList:
    def test_several_accounts_in_the_order_asked(self, make_user, learner, jwt_client):
        share(make_user("ann"))
        body = jwt_client(learner).get(list_url(), {"username": "ann,nobody,learner,ANN"}).json()
        assert [account["username"] for account in body] == ["ann", "learner"]
        assert "email" not in body[0] and body[1]["email"] == "learner@example.com"

    def test_none_found_is_404(self, learner, jwt_client):
        assert jwt_client(learner).get(list_url(), {"username": "nobody,none"}).status_code == 404

    @pytest.mark.parametrize("query", [{}, {"username": ""}, {"username": ",,"},
                                       {"username": ",".join(f"u{index}" for index in range(101))}])
    def test_no_usernames_or_too_many_is_400(self, query, learner, jwt_client):
        response = jwt_client(learner).get(list_url(), query)
        assert response.status_code == 400 and "developer_message" in response.json()

    def test_anonymous_is_401(self, learner, api_client):
        assert api_client.get(list_url(), {"username": "learner"}).status_code == 401


def test_the_python_api_reexports_the_account_functions():
    for name in ("update_account", "get_preferences", "update_preferences", "AccountValidationError"):
        assert name in api.__all__ and hasattr(api, name)
