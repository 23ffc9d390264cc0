"""The LMS-shaped host's settings, route precedence off: the test settings, this host's URLs, the plugins' hooks."""

from edx_django_utils.plugins import add_plugins

from test_settings import *  # noqa: F403

ROOT_URLCONF = "tests.lms_host.urls"
OPENEDX_LEARNER_APIS = {}
add_plugins(__name__, "lms.djangoapp", "common")
