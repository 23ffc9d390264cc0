"""Default hooks: the standalone answers documented on each family's page, replaceable by a dotted path; none writes."""

from __future__ import annotations

import pytest
from django.test import override_settings

from openedx_learner_apis.applets.certificates.models import Certificate
from openedx_learner_apis.conf import learner_apis_settings
from openedx_learner_apis.hooks import DefaultHooks


class HostHooks(DefaultHooks):
    def verification_status(self, user, course_key):
        return "approved"


@pytest.mark.django_db
def test_defaults_do_not_query_or_write(learner, django_assert_num_queries):
    hooks = DefaultHooks()
    key = "course-v1:edX+toy+run"
    with django_assert_num_queries(0):
        assert hooks.ecommerce_checkout_enabled(learner) is False
        assert hooks.ecommerce_checkout_url(learner, course_key=key, sku="X") is None
        assert hooks.upgrade_url(learner, course_key=key, sku="X") is None
        assert hooks.offer(learner, None) is None
        assert hooks.is_enterprise_learner(learner) is False
        assert hooks.related_programs(learner, key) is None
        assert hooks.verification_status(learner, key) == "none"
        assert hooks.verify_identity_url(learner, key, status="none") is None
        assert hooks.content_type_gating_enabled(learner, key, enrollment=None) is False
        assert hooks.contains_gated_content(learner, None) is False
        assert hooks.learning_assistant_enabled(learner, key) is False
        assert hooks.has_integrity_signature(learner, key) is False
        assert hooks.linkedin_add_to_profile_config() is None
        assert hooks.certificate_web_view_url(Certificate(verify_uuid="abc")) == "/certificates/abc"
        assert hooks.certificate_web_view_url(Certificate()) is None
        assert hooks.unit_icon_type(None) is None
        assert hooks.streak_updated(learner, key, 3) is None


def test_learning_assistant_follows_the_setting():
    with override_settings(OPENEDX_LEARNER_APIS={"LEARNING_ASSISTANT_AVAILABLE": True}):
        assert DefaultHooks().learning_assistant_enabled(None, None) is True


def test_hooks_are_replaceable_by_dotted_path():
    with override_settings(OPENEDX_LEARNER_APIS={"HOOKS": "tests.test_hooks.HostHooks"}):
        assert learner_apis_settings.hooks().verification_status(None, None) == "approved"
    assert isinstance(learner_apis_settings.hooks(), DefaultHooks)
