"""The families' write limits as functions: rate parsing, the throttle's decisions, the E012 check.

Time is the throttle's ``timer``, patched to a fixed clock: nothing here reads the wall clock.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import override_settings
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from openedx_learner_apis.checks import check_throttle_rates
from openedx_learner_apis.conf import DEFAULTS, learner_apis_settings
from openedx_learner_apis.rest_api.common.throttling import (
    THROTTLED_FAMILIES,
    FamilyWriteThrottle,
    InvalidRate,
    family_rate,
    parse_rate,
)

factory = APIRequestFactory()


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, in seconds: ``clock.now += 30`` moves it."""
    state = SimpleNamespace(now=1_000_000.0)
    monkeypatch.setattr(FamilyWriteThrottle, "timer", lambda self: state.now)
    return state


def drf_request(method: str, user):
    """A DRF request (as a view sees it) of ``user``."""
    request = getattr(factory, method)("/anything")
    force_authenticate(request, user=user)
    return APIView().initialize_request(request)


def allowed(method: str, user, family: str = "profile_images") -> bool:
    return FamilyWriteThrottle().allow_request(drf_request(method, user), SimpleNamespace(family=family))


@pytest.mark.parametrize(("rate", "parsed"), [
    ("10/minute", (10, 60)), ("1/s", (1, 1)), ("3/hour", (3, 3600)), ("500/day", (500, 86400)),
    (" 7 / min ", (7, 60)), (None, None),
])
def test_parse_rate(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["10", "ten/minute", "0/minute", "-1/minute", "10/fortnight", "10/", "1/2/m",
                                  10, ["10/minute"], ""])
def test_parse_rate_refuses_what_drf_would_crash_on(rate):
    with pytest.raises(InvalidRate):
        parse_rate(rate)


def test_every_family_with_writes_has_a_default_rate():
    assert set(DEFAULTS["THROTTLE_RATES"]) == set(THROTTLED_FAMILIES)
    assert DEFAULTS["THROTTLE_RATES"]["profile_images"] == "10/minute"


@override_settings(OPENEDX_LEARNER_APIS={"THROTTLE_RATES": {"mobile": None}})
def test_a_host_entry_keeps_the_other_defaults():
    assert family_rate("mobile") is None
    assert family_rate("profile_images") == "10/minute"
    assert learner_apis_settings.THROTTLE_RATES["courseware"] == "60/minute"


@pytest.mark.django_db
def test_the_default_rate_refuses_the_eleventh_upload_in_a_minute(make_user, clock):
    user = make_user("ann")
    assert [allowed("post", user) for _ in range(11)] == [True] * 10 + [False]


@pytest.mark.django_db
def test_wait_counts_down_and_the_budget_comes_back(make_user, clock):
    user = make_user("ann")
    for _ in range(10):
        assert allowed("delete", user)
    throttle = FamilyWriteThrottle()
    assert not throttle.allow_request(drf_request("post", user), SimpleNamespace(family="profile_images"))
    assert throttle.wait() == pytest.approx(60)
    clock.now += 45
    throttle = FamilyWriteThrottle()
    assert not throttle.allow_request(drf_request("post", user), SimpleNamespace(family="profile_images"))
    assert throttle.wait() == pytest.approx(15)
    clock.now += 15
    assert allowed("post", user)


@pytest.mark.django_db
def test_reads_are_never_counted(make_user, clock):
    user = make_user("ann")
    assert all(allowed(method, user) for method in ["get", "head", "options"] * 20)
    assert allowed("post", user)


@pytest.mark.django_db
def test_each_user_and_each_family_has_its_own_budget(make_user, clock):
    ann, bob = make_user("ann"), make_user("bob")
    for _ in range(10):
        allowed("post", ann)
    assert not allowed("post", ann)
    assert allowed("post", bob)
    assert allowed("patch", ann, family="accounts")


@pytest.mark.django_db
@override_settings(OPENEDX_LEARNER_APIS={"THROTTLE_RATES": {"profile_images": None}})
def test_none_lifts_the_limit(make_user, clock):
    user = make_user("ann")
    assert all(allowed("post", user) for _ in range(50))


@pytest.mark.django_db
def test_families_without_writes_or_unknown_are_not_limited(make_user, clock):
    user = make_user("ann")
    assert all(allowed("post", user, family=family) for family in ["badges", "certificates", ""] * 70)


@pytest.mark.django_db
@override_settings(OPENEDX_LEARNER_APIS={"THROTTLE_RATES": {"profile_images": "ten a minute"}})
def test_an_unparsable_rate_lets_requests_through_and_check_reports_it(make_user, clock):
    user = make_user("ann")
    assert all(allowed("post", user) for _ in range(20))
    [error] = check_throttle_rates()
    assert error.id == "openedx_learner_apis.E012"
    assert "'ten a minute' is not a rate" in error.msg


def test_check_passes_with_the_defaults():
    assert check_throttle_rates() == []


@pytest.mark.parametrize(("rates", "message"), [
    ({"badges": "1/minute"}, "cannot limit 'badges': it has no write routes."),
    ({"profile_images_legacy": "1/minute"}, "share 'profile_images'"),
    ({"nope": "1/minute"}, "cannot limit 'nope'."),
    ({"accounts": "1/fortnight"}, "'1/fortnight' is not a rate"),
    (None, "must be a dict"),
    (["10/minute"], "must be a dict"),
])
def test_e012_bad_throttle_rates(rates, message):
    with override_settings(OPENEDX_LEARNER_APIS={"THROTTLE_RATES": rates}):
        [error] = check_throttle_rates()
    assert error.id == "openedx_learner_apis.E012"
    assert message in error.msg
    assert "10/minute" in error.hint


def test_valid_throttle_rates_pass_the_check():
    with override_settings(OPENEDX_LEARNER_APIS={"THROTTLE_RATES": {"profile_images": "2/hour", "mobile": None}}):
        assert check_throttle_rates() == []
