"""The plugin declaration of the host's courseware API (namespace ``courseware_api`` under ``api/courseware/``)."""

from django.apps import AppConfig


class HostCoursewareConfig(AppConfig):
    name = "tests.lms_host.courseware"
    label = "lms_host_courseware"
    plugin_app = {
        "url_config": {
            "lms.djangoapp": {"namespace": "courseware_api", "regex": r"^api/courseware/", "relative_path": "urls"},
        },
    }
