"""Course-info pages of the courses applet: served with absolute links, written directly."""

from __future__ import annotations

import pytest
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis.api import get_course_handouts, import_olx, set_course_info_page
from openedx_learner_apis.applets.courses.info_pages import absolute_links, asset_path, lms_path
from openedx_learner_apis.applets.courses.models import CourseInfoPage
from tests.olx_archives import make_tar

KEY = CourseKey.from_string("course-v1:TestX+T101+2024")
ROOT = "https://lms.example.com"
COURSE = {
    "course.xml": '<course url_name="2024" org="TestX" course="T101"/>',
    "course/2024.xml": '<course display_name="Info"><chapter url_name="ch1"/></course>',
    "chapter/ch1.xml": '<chapter display_name="One"/>',
}


def export(files: dict | None = None) -> bytes:
    """A course export holding ``files`` ({path: text}) besides a one-chapter course."""
    return make_tar({**COURSE, **(files or {})})


# Links, as the LMS rewrites them.

@pytest.mark.parametrize("path, expected", [
    ("/static/handout.pdf", "/asset-v1:TestX+T101+2024+type@asset+block@handout.pdf"),
    ("/static/images/a b.png", "/asset-v1:TestX+T101+2024+type@asset+block@images_a_b.png"),
    ("/static/map.png?size=2#top", "/asset-v1:TestX+T101+2024+type@asset+block@map.png?size=2#top"),
    ("/static/café.png", "/asset-v1:TestX+T101+2024+type@asset+block@caf%C3%A9.png"),
    ("/static/notes.txt?raw", "/static/notes.txt?raw"),
    ("/static/xblock/resources/x.js", "/static/xblock/resources/x.js"),
    ("/course/progress", "/courses/course-v1:TestX+T101+2024/progress"),
    ("/jump_to_id/abc123", "/courses/course-v1:TestX+T101+2024/jump_to_id/abc123"),
    ("/c4x/TestX/T101/asset/a.png", "/c4x/TestX/T101/asset/a.png"),
    ("/asset-v1:TestX+T101+2024+type@asset+block@a.png", "/asset-v1:TestX+T101+2024+type@asset+block@a.png"),
])
def test_lms_path(path, expected):
    assert lms_path(path, KEY) == expected


def test_asset_path_of_an_old_style_course():
    assert asset_path("a.png", CourseKey.from_string("TestX/T101/2024")) == "/c4x/TestX/T101/asset/a.png"


def test_absolute_links_rewrites_quoted_links_only():
    html = ("<a href=\"/static/a.pdf\">/static/a.pdf</a><img src='/c4x/TestX/T101/asset/b.png'>"
            '<a href="https://elsewhere.org/static/x.pdf">x</a><a href="/dashboard">d</a>'
            '<div data-config="{\\"url\\": \\"/static/c.json\\"}"></div>')
    assert absolute_links(html, KEY, root=ROOT + "/") == (
        f'<a href="{ROOT}/asset-v1:TestX+T101+2024+type@asset+block@a.pdf">/static/a.pdf</a>'
        f"<img src='{ROOT}/c4x/TestX/T101/asset/b.png'>"
        '<a href="https://elsewhere.org/static/x.pdf">x</a><a href="/dashboard">d</a>'
        f'<div data-config="{{\\"url\\": \\"{ROOT}/asset-v1:TestX+T101+2024+type@asset+block@c.json\\"}}"></div>')


@pytest.mark.django_db
def test_set_course_info_page_replaces_a_page():
    import_olx(export())
    set_course_info_page(KEY, "handouts", html="<p>one</p>")
    set_course_info_page(KEY, "handouts", html="<p>two</p>")
    assert get_course_handouts(KEY, root=ROOT) == "<p>two</p>"
    assert CourseInfoPage.objects.count() == 1
