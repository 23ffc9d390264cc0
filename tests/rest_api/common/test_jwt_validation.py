"""JWTs are validated by edx-drf-extensions' decoder, whatever ``JWT_DECODE_HANDLER`` says.

The decoder checks the issuer against ``JWT_ISSUERS``, the first issuer's audience, the
signature against the asymmetric keys of ``JWT_PUBLIC_SIGNING_JWK_SET`` (then the issuer's
secret), requires ``exp`` and ``iat`` and refuses a ``version`` newer than supported. The
tests go through a real route (the mobile user detail) and through the class directly.
"""

from __future__ import annotations

import json
import time

import jwt
import pytest
from django.conf import settings
from django.test import override_settings
from jwt.algorithms import RSAAlgorithm
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework_jwt.settings import api_settings as drf_jwt_settings

from openedx_learner_apis.rest_api.common.authentication import JwtAuthentication, decode_jwt
from openedx_learner_apis.rest_api.common.tokens import jwt_header, mint_jwt

URL = "/api/mobile/v1/users/learner"


def payload(user, **changes) -> dict:
    issuer = settings.JWT_AUTH["JWT_ISSUERS"][0]
    now = int(time.time())
    claims = {"iss": issuer["ISSUER"], "aud": issuer["AUDIENCE"], "iat": now, "exp": now + 600,
              "preferred_username": user.username, "username": user.username, "user_id": user.pk,
              "email": user.email, "administrator": False, "scopes": [], "filters": [],
              "is_restricted": False, "version": "1.2.0"}
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


def signed(claims: dict, key=None, algorithm="HS256") -> str:
    return jwt.encode(claims, key or settings.JWT_AUTH["JWT_ISSUERS"][0]["SECRET_KEY"], algorithm=algorithm)


def get(token: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=jwt_header(token))
    return client.get(URL)


@pytest.fixture(scope="session")
def rsa_keys():
    """A private JWK and the public JWK set holding its public half."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_jwk = json.loads(RSAAlgorithm.to_jwk(private))
    public_jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    private_jwk["kid"] = public_jwk["kid"] = "test-key"
    return private, json.dumps(private_jwk), json.dumps({"keys": [public_jwk]})


@pytest.fixture
def asymmetric(rsa_keys):
    """The LMS's shape: the issuer list plus an RS512 key pair (JWK) that signs every new token."""
    _, private_jwk, public_set = rsa_keys
    issuer = settings.JWT_AUTH["JWT_ISSUERS"][0]
    jwt_auth = {**settings.JWT_AUTH, "JWT_PRIVATE_SIGNING_JWK": private_jwk, "JWT_PUBLIC_SIGNING_JWK_SET": public_set,
                "JWT_SIGNING_ALGORITHM": "RS512",
                "JWT_ISSUERS": [{**issuer, "SECRET_KEY": "a-different-secret-nobody-signs-with-32b"}]}
    with override_settings(JWT_AUTH=jwt_auth):
        yield rsa_keys


class TestRefusedTokens:
    def test_a_valid_token_is_accepted(self, learner):
        assert get(signed(payload(learner))).status_code == 200

    def test_unsupported_version(self, learner):
        response = get(signed(payload(learner, version="9.0.0")))
        assert response.status_code == 401
        assert "detail" in response.json()

    def test_supported_older_version(self, learner):
        assert get(signed(payload(learner, version="1.0.0"))).status_code == 200

    def test_no_expiry(self, learner):
        assert get(signed(payload(learner, exp=None))).status_code == 401

    def test_no_issued_at(self, learner):
        assert get(signed(payload(learner, iat=None))).status_code == 401

    def test_foreign_issuer_signed_with_secret_key_and_no_audience(self, learner, monkeypatch):
        """What the former hosting guide let through: no ``JWT_SECRET_KEY``/``JWT_AUDIENCE``/``JWT_ISSUER``,
        so djangorestframework-jwt's decoder checked a ``SECRET_KEY`` signature and nothing else."""
        for name, value in (("JWT_SECRET_KEY", settings.SECRET_KEY), ("JWT_AUDIENCE", None), ("JWT_ISSUER", None)):
            monkeypatch.setattr(drf_jwt_settings, name, value, raising=False)
        claims = payload(learner, iss="https://attacker.example", aud=None)
        assert get(signed(claims, key=settings.SECRET_KEY)).status_code == 401

    def test_foreign_issuer(self, learner):
        assert get(signed(payload(learner, iss="https://attacker.example"))).status_code == 401

    def test_no_audience(self, learner):
        assert get(signed(payload(learner, aud=None))).status_code == 401

    def test_wrong_audience(self, learner):
        assert get(signed(payload(learner, aud="somebody-else"))).status_code == 401

    def test_wrong_secret(self, learner):
        """No JWK set configured: edx-drf-extensions alone would check no signature at all."""
        assert get(signed(payload(learner), key="not-the-secret-but-long-enough-for-hmac")).status_code == 401

    def test_no_key_configured_refuses_every_token(self, learner):
        issuer = {**settings.JWT_AUTH["JWT_ISSUERS"][0], "SECRET_KEY": ""}
        with override_settings(JWT_AUTH={**settings.JWT_AUTH, "JWT_ISSUERS": [issuer]}):
            assert get(signed(payload(learner), key="anything-at-all-long-enough-for-hmac")).status_code == 401

    def test_expired(self, learner):
        assert get(signed(payload(learner, exp=int(time.time()) - 600))).status_code == 401


def test_a_lax_decode_handler_is_not_used(learner, monkeypatch):
    """A host's ``JWT_DECODE_HANDLER`` (here one that verifies nothing) never replaces the decoder."""
    monkeypatch.setattr(drf_jwt_settings, "JWT_DECODE_HANDLER",
                        lambda token: jwt.decode(token, options={"verify_signature": False}), raising=False)
    assert get(signed(payload(learner, version="9.0.0"))).status_code == 401
    assert get(signed(payload(learner), key="not-the-secret-but-long-enough-for-hmac")).status_code == 401


def test_authenticate_returns_the_validated_claims(learner):
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=jwt_header(mint_jwt(learner, scopes=["a:b"])))
    user, token = JwtAuthentication().authenticate(request)
    assert user == learner
    assert token.payload["scopes"] == ["a:b"]
    assert decode_jwt(token)["scopes"] == ["a:b"]


def test_the_cookie_still_authenticates(learner):
    """Browser requests carry the JWT in a cookie (no header): still the same decoder."""
    client = APIClient()
    client.cookies[drf_jwt_settings.JWT_AUTH_COOKIE] = signed(payload(learner))
    assert client.get(URL).status_code == 200
    client.cookies[drf_jwt_settings.JWT_AUTH_COOKIE] = signed(payload(learner, version="9.0.0"))
    assert client.get(URL).status_code == 401, "no session to fall back to"


class TestAsymmetricKeys:
    def test_minted_tokens_are_signed_with_the_private_jwk(self, asymmetric, learner):
        token = mint_jwt(learner)
        header = jwt.get_unverified_header(token)
        assert header["alg"] == "RS512"
        assert header["kid"] == "test-key"
        private, _, _ = asymmetric
        issuer = settings.JWT_AUTH["JWT_ISSUERS"][0]
        claims = jwt.decode(token, private.public_key(), algorithms=["RS512"], audience=issuer["AUDIENCE"])
        assert claims["preferred_username"] == "learner"

    def test_a_token_signed_with_the_key_pair_is_accepted(self, asymmetric, learner):
        assert get(mint_jwt(learner)).status_code == 200

    @pytest.mark.parametrize("algorithm", ["RS256", "RS512"])
    def test_both_rsa_algorithms(self, asymmetric, learner, algorithm):
        private, _, _ = asymmetric
        assert get(signed(payload(learner), key=private, algorithm=algorithm)).status_code == 200

    def test_a_token_signed_with_another_key_is_refused(self, asymmetric, learner):
        from cryptography.hazmat.primitives.asymmetric import rsa

        stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        assert get(signed(payload(learner), key=stranger, algorithm="RS512")).status_code == 401

    def test_the_old_shared_secret_no_longer_signs(self, asymmetric, learner):
        assert get(signed(payload(learner), key="insecure-test-jwt-secret-at-least-32-bytes")).status_code == 401

    def test_unsupported_version_and_missing_expiry(self, asymmetric, learner):
        private, _, _ = asymmetric
        assert get(signed(payload(learner, version="9.0.0"), key=private, algorithm="RS512")).status_code == 401
        assert get(signed(payload(learner, exp=None), key=private, algorithm="RS512")).status_code == 401

    def test_the_management_commands_sign_with_the_key_pair(self, asymmetric, learner, staff_user):
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("mint_jwt", "learner", stdout=out)
        token = out.getvalue().strip()
        assert jwt.get_unverified_header(token)["alg"] == "RS512"
        assert get(token).status_code == 200
        from opaque_keys.edx.keys import CourseKey

        from openedx_learner_apis import api

        api.upsert_course(CourseKey.from_string("course-v1:OpenedX+DemoX+Demo"), display_name="Demo")
        out = StringIO()
        call_command("demo_curl", stdout=out)
        learner_line = out.getvalue().splitlines()[0]
        assert learner_line.startswith("export LEARNER='Authorization: JWT ")
        assert get(learner_line.split("JWT ", 1)[1].rstrip("'")).status_code == 200

    def test_restricted_scopes_are_read_from_an_asymmetric_token(self, asymmetric, learner):
        """The certificates permissions read the validated claims, not ``JWT_DECODE_HANDLER`` (HS256 here)."""
        client = APIClient()
        token = mint_jwt(learner, scopes=["certificates:read"], filters=["user:me"], is_restricted=True)
        client.credentials(HTTP_AUTHORIZATION=jwt_header(token))
        response = client.get("/api/certificates/v0/certificates/learner/")
        assert response.status_code == 200
        assert response.json() == []


def demo_jwt_auth() -> dict:
    """The demo host's ``JWT_AUTH`` (literals only), read without importing its settings module."""
    import ast
    from pathlib import Path

    tree = ast.parse((Path(__file__).resolve().parents[3] / "example" / "settings.py").read_text())
    node = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                and any(getattr(target, "id", None) == "JWT_AUTH" for target in node.targets))
    return ast.literal_eval(node)


def test_the_demo_signs_with_its_rsa_key_pair(learner):
    """The demo exercises the asymmetric path: its minted tokens are RS512 and validate with its JWK set."""
    from openedx_learner_apis.checks import check_jwt_settings

    with override_settings(JWT_AUTH=demo_jwt_auth()):
        assert check_jwt_settings() == []
        token = mint_jwt(learner)
        assert jwt.get_unverified_header(token)["alg"] == "RS512"
        request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=jwt_header(token))
        assert JwtAuthentication().authenticate(request)[0] == learner
