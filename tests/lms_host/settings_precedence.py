"""The LMS-shaped host with ``SERVE_BEFORE_HOST_ROUTES`` on, set before the plugins' hooks run as in the LMS."""

from edx_django_utils.plugins import add_plugins

from test_settings import *  # noqa: F403

ROOT_URLCONF = "tests.lms_host.urls"
OPENEDX_LEARNER_APIS = {"SERVE_BEFORE_HOST_ROUTES": True}
add_plugins(__name__, "lms.djangoapp", "common")
