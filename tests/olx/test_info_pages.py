"""Course-info pages of an export: read with the course, stored on import, replaced on re-import."""

from __future__ import annotations

import pytest
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis.api import get_course_handouts, get_course_updates, import_olx
from openedx_learner_apis.applets.courses.models import CourseInfoPage
from openedx_learner_apis.olx.course import OlxImportError
from openedx_learner_apis.olx.reader import read_olx
from tests.course_exports import DEMO_OLX
from tests.olx_archives import make_tar

DEMO = DEMO_OLX
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


# Reading an export.

def test_an_export_without_info_pages():
    assert read_olx(export()).info == {}


def test_pages_are_read_and_items_completed():
    course = read_olx(export({
        "info/handouts.html": "  <ol><li>a</li></ol>\n",
        "info/updates.html": "",
        "info/updates.items.json": '[{"id": 7, "date": "May 1", "content": "<p>x</p>", "status": "deleted"},'
                                         ' {"content": "<p>y</p>", "id": "8"}, {"date": "June 2"}]',
    }))
    assert set(course.info) == {"handouts", "updates"}
    assert course.info["handouts"].html == "<ol><li>a</li></ol>"
    assert course.info["handouts"].items == []
    assert course.info["updates"].items == [
        {"id": 7, "date": "May 1", "content": "<p>x</p>", "status": "deleted"},
        {"id": 8, "date": "", "content": "<p>y</p>", "status": "visible"},
        {"id": 3, "date": "June 2", "content": "", "status": "visible"},
    ]


def test_a_page_of_the_run_folder_wins():
    course = read_olx(export({"info/handouts.html": "<p>all runs</p>", "info/2024/handouts.html": "<p>2024</p>",
                             "info/2023/updates.items.json": '[{"id": 1}]'}))
    assert course.info["handouts"].html == "<p>2024</p>"
    assert "updates" not in course.info


@pytest.mark.parametrize("items", ['{"id": 1}', "[1, 2]", '[{"id": "one"}]', "[{", '[{"id": 1e400}]'])
def test_malformed_updates_refuse_the_import(items):
    with pytest.raises(OlxImportError, match="updates.items.json"):
        read_olx(export({"info/updates.items.json": items}))


def test_files_of_static_and_drafts_are_not_pages():
    assert read_olx(export({"static/info/handouts.html": "<p>x</p>",
                           "drafts/info/handouts.html": "<p>x</p>"})).info == {}


# Import and the Python API.

@pytest.mark.django_db
def test_import_stores_and_replaces_pages():
    import_olx(export({"info/handouts.html": '<a href="/static/h.pdf">h</a>',
                      "info/updates.items.json": '[{"id": 1, "content": "<p>old</p>", "status": "visible"}]'}))
    assert get_course_handouts(KEY, root=ROOT) == (
        f'<a href="{ROOT}/asset-v1:TestX+T101+2024+type@asset+block@h.pdf">h</a>')
    assert get_course_updates(KEY, root=ROOT) == [{"id": 1, "date": "", "status": "visible", "content": "<p>old</p>"}]
    import_olx(export({"info/updates.items.json": '[{"id": 1, "content": "<p>new</p>"}]'}))
    assert get_course_handouts(KEY, root=ROOT) is None
    assert [item["content"] for item in get_course_updates(KEY, root=ROOT)] == ["<p>new</p>"]
    assert list(CourseInfoPage.objects.values_list("name", flat=True)) == ["updates"]


@pytest.mark.django_db
def test_a_failed_import_keeps_the_pages():
    import_olx(export({"info/handouts.html": "<p>kept</p>"}))
    with pytest.raises(OlxImportError):
        import_olx(export({"info/handouts.html": "<p>new</p>", "info/updates.items.json": "{"}))
    assert get_course_handouts(KEY, root=ROOT) == "<p>kept</p>"


@pytest.mark.django_db
@pytest.mark.skipif(not DEMO.exists(), reason="OLX test data not available")
def test_the_demo_course_export():
    key = import_olx(DEMO)
    assert get_course_handouts(key, root=ROOT) is None  # Studio's empty <ol></ol>
    [update] = get_course_updates(key, root=ROOT)
    assert update["id"] == 1 and update["date"] == "November 5, 2023" and update["status"] == "visible"
    assert (f'src="{ROOT}/asset-v1:OpenedX+DemoX+DemoCourse+type@asset+block@open-edx-celebratory-icon.png"'
            in update["content"])
