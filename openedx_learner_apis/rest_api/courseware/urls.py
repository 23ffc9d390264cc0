"""Routes of the courseware API, anchored so that trailing junk after a key does not match.

Each route is reachable under its short name (``course``...) and its Open edX name
(``courseware-api``...), so ``reverse()`` calls written for either keep working.
"""

from __future__ import annotations

from django.urls import re_path

from ...conf import learner_apis_settings
from ..common.unmatched import unmatched_route
from .views import CelebrationView, CoursewareInformationView, ResumeView, SequenceMetadataView

COURSE_KEY_PATTERN = learner_apis_settings.COURSE_KEY_PATTERN
USAGE_KEY_PATTERN = learner_apis_settings.USAGE_KEY_PATTERN

ROUTES = (
    (rf"^course/{COURSE_KEY_PATTERN}$", CoursewareInformationView, ("course", "courseware-api")),
    (rf"^sequence/{USAGE_KEY_PATTERN}$", SequenceMetadataView, ("sequence", "sequence-api")),
    (rf"^resume/{COURSE_KEY_PATTERN}$", ResumeView, ("resume", "resume-api")),
    (rf"^celebration/{COURSE_KEY_PATTERN}$", CelebrationView, ("celebration", "celebration-api")),
)

urlpatterns = [
    re_path(regex, view.as_view(), name=name)
    for regex, view, names in ROUTES
    for name in names
]
# A key the patterns reject: a JSON 404 in the route's own error shape.
urlpatterns += [
    unmatched_route(r"^course/[\s\S]*$", CoursewareInformationView),
    unmatched_route(r"^sequence/[\s\S]*$", SequenceMetadataView),
    unmatched_route(r"^resume/[\s\S]*$", ResumeView),
    unmatched_route(r"^celebration/[\s\S]*$", CelebrationView),
]
