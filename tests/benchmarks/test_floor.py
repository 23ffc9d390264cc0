"""The floor endpoint of the bench host: the stack of a real endpoint and a constant body.

The report's side (the percentage column, the smoke check) is in ``test_harness_smoke``.
"""

from __future__ import annotations

import pytest

from benchmarks.harness.floor import (
    FLOOR_BODY,
    FloorView,
    floor_path,
    urlpatterns,  # noqa: F401  (the URLs of @pytest.mark.urls below)
)
from openedx_learner_apis.rest_api.common.permissions import RestrictedApplicationsInScope
from openedx_learner_apis.rest_api.mobile.views import MobileView


def test_floor_uses_the_mobile_familys_authentication_and_permissions():
    assert list(FloorView.authentication_classes) == list(MobileView.authentication_classes)
    assert list(FloorView.permission_classes) == list(MobileView.permission_classes)
    assert RestrictedApplicationsInScope in list(FloorView.permission_classes)


@pytest.mark.urls(__name__)
@pytest.mark.django_db
class TestFloorOverHttp:
    def test_owner_gets_the_constant_body_without_touching_the_database(self, learner, jwt_client,
                                                                         django_assert_max_num_queries):
        client = jwt_client(learner)
        client.get(floor_path("learner"))
        with django_assert_max_num_queries(1):
            response = client.get(floor_path("learner"))
        assert response.status_code == 200 and response.json() == FLOOR_BODY

    def test_anonymous_is_refused(self, api_client):
        assert api_client.get(floor_path("learner")).status_code == 401

    def test_another_learner_is_refused(self, learner, other_learner, jwt_client):
        assert jwt_client(learner).get(floor_path("other")).status_code == 403

    def test_a_restricted_application_is_refused(self, learner, jwt_client):
        assert jwt_client(learner, is_restricted=True).get(floor_path("learner")).status_code == 403
