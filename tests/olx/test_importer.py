"""import_olx: an export read whole, then written into the courses applet in one transaction."""

from pathlib import Path

import pytest
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis import api
from openedx_learner_apis.applets.courses.models import Block, Course
from openedx_learner_apis.olx.course import OlxImportError
from tests.olx_archives import make_tar

DEMO_OLX = Path(__file__).resolve().parents[2] / "example" / "data" / "demo-course-olx.tar.gz"
DEMO_KEY = CourseKey.from_string("course-v1:OpenedX+DemoX+DemoCourse")

pytestmark = pytest.mark.django_db


def test_import_of_the_demo_course():
    key = api.import_olx(str(DEMO_OLX))
    assert key == DEMO_KEY
    outline = api.get_outline(key)
    counts = {kind: len(outline.of_type(kind)) for kind in ("course", "chapter", "sequential", "vertical")}
    assert counts == {"course": 1, "chapter": 6, "sequential": 17, "vertical": 58}
    assert len(outline) == 401
    chapters = [block.display_name for block in outline.root.children]
    assert chapters[0] == "Module 1: Dive into the Open edX® platform!" and chapters[-1] == "Conclusion"
    first_sequence = outline.root.children[0].children[0]
    assert first_sequence.display_name == "Introduction to the Open edX® platform"
    assert [child.position for child in first_sequence.children] == list(range(len(first_sequence.children)))
    course = Course.objects.get(course_key=key)
    assert course.grade_cutoffs == {"Pass": 0.5} and course.course_image_url.endswith("DemoX-Course-Card.png")


def test_reimport_updates_in_place_and_removes_blocks_that_disappeared():
    key = api.import_olx(str(DEMO_OLX))
    ids = dict(Block.objects.filter(course__course_key=key).values_list("usage_key", "id"))
    stale = Block.objects.create(course=Course.objects.get(course_key=key), block_type="html",
                                 usage_key=key.make_usage_key("html", "gone"), preorder=9999)
    api.import_olx(str(DEMO_OLX))
    assert not Block.objects.filter(pk=stale.pk).exists()
    assert dict(Block.objects.filter(course__course_key=key).values_list("usage_key", "id")) == ids
    assert Course.objects.count() == 1


def test_a_corrupt_archive_changes_nothing():
    key = api.import_olx(str(DEMO_OLX))
    before = list(Block.objects.order_by("id").values_list("id", "display_name"))
    corrupt = make_tar({
        "course.xml": '<course url_name="DemoCourse" org="OpenedX" course="DemoX"/>',
        "course/DemoCourse.xml": '<course display_name="Broken"><chapter url_name="missing"/></course>',
    })
    with pytest.raises(OlxImportError):
        api.import_olx(corrupt)
    assert list(Block.objects.order_by("id").values_list("id", "display_name")) == before
    assert Course.objects.get(course_key=key).display_name != "Broken"


def test_path_traversal_is_rejected():
    with pytest.raises(OlxImportError):
        api.import_olx(make_tar({"../course.xml": "<course/>"}, top=""))
