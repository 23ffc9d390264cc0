"""The host's courseware routes, with the LMS's route names."""

from django.urls import re_path

from ..views import host_view

COURSE = r"(?P<course_key_string>[^/+]+(/|\+)[^/+]+(/|\+)[^/?]+)"
USAGE = r"(?P<usage_key_string>[^/]+)"

urlpatterns = [
    re_path(rf"^course/{COURSE}$", host_view("courseware-api"), name="courseware-api"),
    re_path(rf"^sequence/{USAGE}$", host_view("sequence-api"), name="sequence-api"),
    re_path(rf"^resume/{COURSE}$", host_view("resume-api"), name="resume-api"),
    re_path(rf"^celebration/{COURSE}$", host_view("celebration-api"), name="celebration-api"),
]
