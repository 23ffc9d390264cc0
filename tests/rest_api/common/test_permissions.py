"""Permission building blocks: staff, owner, owner-or-staff, and the 404 variant."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.exceptions import NotFound
from rest_framework.test import APIRequestFactory

from openedx_learner_apis.rest_api.common.permissions import (
    IsOwner,
    IsOwnerOrStaff,
    IsOwnerOrStaffElse404,
    IsStaff,
)


class View:
    def __init__(self, username=None):
        self.kwargs = {"username": username} if username is not None else {}


def allowed(permission, user, username="learner") -> bool:
    request = APIRequestFactory().get("/")
    request.user = user
    return permission().has_permission(request, View(username))


@pytest.fixture
def superuser(make_user):
    return make_user("root", is_superuser=True)


def test_is_staff(learner, staff_user, superuser):
    assert allowed(IsStaff, staff_user)
    assert not allowed(IsStaff, learner)
    assert not allowed(IsStaff, superuser), "superuser alone is not staff"
    assert not allowed(IsStaff, AnonymousUser())


def test_is_owner(learner, other_learner, staff_user):
    assert allowed(IsOwner, learner)
    assert allowed(IsOwner, learner, "LEARNER")
    assert not allowed(IsOwner, other_learner)
    assert not allowed(IsOwner, staff_user)
    assert not allowed(IsOwner, AnonymousUser())
    assert not allowed(IsOwner, learner, None)


def test_is_owner_or_staff(learner, other_learner, staff_user):
    assert allowed(IsOwnerOrStaff, learner)
    assert allowed(IsOwnerOrStaff, staff_user)
    assert not allowed(IsOwnerOrStaff, other_learner)
    assert not allowed(IsOwnerOrStaff, AnonymousUser())


def test_is_owner_or_staff_else_404(learner, other_learner, staff_user):
    assert allowed(IsOwnerOrStaffElse404, learner)
    assert allowed(IsOwnerOrStaffElse404, staff_user)
    assert allowed(IsOwnerOrStaffElse404, staff_user, "nobody")
    assert not allowed(IsOwnerOrStaffElse404, AnonymousUser()), "anonymous is 401, not 404"
    with pytest.raises(NotFound):
        allowed(IsOwnerOrStaffElse404, other_learner)
    with pytest.raises(NotFound):
        allowed(IsOwnerOrStaffElse404, other_learner, "nobody")


def test_inactive_owner_is_still_the_owner(make_user):
    inactive = make_user("sleepy", is_active=False)
    assert allowed(IsOwner, inactive, "sleepy")
