"""read_olx: the reader of course exports, plain Python with no Django models and no database."""
import io
import tarfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis.olx.course import OlxCourse, OlxImportError
from openedx_learner_apis.olx.limits import DEFAULT_LIMITS, OlxLimits
from openedx_learner_apis.olx.reader import read_olx
from tests.course_exports import DEMO_OLX, DHIS2_OLX
from tests.olx_archives import make_tar

DEMO = DEMO_OLX
DHIS2 = DHIS2_OLX
STRUCTURE = {"course", "chapter", "sequential", "vertical"}

needs_data = pytest.mark.skipif(not DEMO.exists() or not DHIS2.exists(), reason="OLX test data not available")


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def mini_files():
    """A small but complete course exercising pointers, inline blocks, policies and inheritance."""
    return {
        "course.xml": '<course url_name="2024" org="TestX" course="T101"/>',
        "course/2024.xml": (
            '<course display_name="XML name" start="2024-01-01T00:00:00Z" course_image="xml.png" language="fr">'
            '  <chapter url_name="ch1"/>'
            '  <chapter display_name="Inline chapter" start="&quot;2024-02-01T02:00:00+02:00&quot;">'
            '    <sequential display_name="Inline seq" hide_from_toc="true">'
            '      <vertical display_name="Inline unit"><html display_name="Note"><p>hello</p></html></vertical>'
            '    </sequential>'
            '  </chapter>'
            '  <wiki slug="TestX.T101.2024"/>'
            '</course>'
        ),
        "chapter/ch1.xml": (
            '<chapter display_name="Chapter 1">'
            '  <sequential url_name="seq1"/>'
            '  <sequential url_name="seq2"/>'
            '</chapter>'
        ),
        "sequential/seq1.xml": (
            '<sequential display_name="Final exam" graded="true" format="Final Exam" due="2024-03-01T12:00:00"'
            ' hide_after_due="true" is_time_limited="true" default_time_limit_minutes="60"'
            ' is_proctored_enabled="false" is_practice_exam="true">'
            '  <vertical url_name="v1"/>'
            '</sequential>'
        ),
        "sequential/seq2.xml": (
            '<sequential display_name="Hidden" visible_to_staff_only="true"><vertical url_name="v2"/></sequential>'
        ),
        "vertical/v1.xml": (
            '<vertical display_name="Unit 1">'
            '  <problem url_name="p1"/>'
            '  <problem display_name="Practice" graded="false"><multiplechoiceresponse/></problem>'
            '  <video url_name="vid1" display_name="Clip" youtube_id_1_0="abc"/>'
            '  <lti url_name="lti1" display_name="Tool" has_score="true" weight="3"/>'
            '  <lti url_name="lti2" display_name="Tool 2"/>'
            '</vertical>'
        ),
        "vertical/v2.xml": (
            '<vertical display_name="Unit 2" visible_to_staff_only="false"><html url_name="h1"/></vertical>'
        ),
        "problem/p1.xml": '<problem display_name="P1" weight="2.5" max_attempts="null"><choiceresponse/></problem>',
        "html/h1.xml": '<html filename="h1" display_name="Page"/>',
        "html/h1.html": "<p>never read</p>",
        "policies/2024/policy.json": (
            '{"course/2024": {"display_name": "Policy name", "course_image": "img.png", "mobile_available": true,'
            ' "lti_passports": ["tool:key:secret"], "end": null, "tabs": [{"type": "courseware"}],'
            ' "enrollment_start": "2023-12-01T00:00:00Z", "certificate_available_date": "2024-06-01T00:00:00Z",'
            ' "days_early_for_beta": 2},'
            ' "chapter/ch1": {"start": "2024-01-15T00:00:00Z"},'
            ' "sequential/seq2": {"display_name": "Hidden (policy)"}}'
        ),
        "policies/2024/grading_policy.json": (
            '{"GRADER": [{"type": "Final Exam", "weight": 1.0, "min_count": 1, "drop_count": 0}],'
            ' "GRADE_CUTOFFS": {"A": 0.9, "Pass": 0.6}}'
        ),
        "about/short_description.html": "A tiny course.\n",
        "about/effort.html": "2 hours",
        "static/big.bin": b"\x00" * 1000,
    }


def mini_tar():
    return make_tar(mini_files())


def by_name(course: OlxCourse):
    return {b.display_name: b for b in course.blocks}


def children(course: OlxCourse, block):
    return [b for b in course.blocks if b.parent_key == block.usage_key]


def counts(course: OlxCourse):
    c = Counter(b.block_type for b in course.blocks)
    leaves = sum(n for t, n in c.items() if t not in STRUCTURE)
    return c["course"], c["chapter"], c["sequential"], c["vertical"], leaves


# ---------------------------------------------------------------------------
# real courses
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo():
    return read_olx(DEMO)


@needs_data
def test_demo_course_metadata(demo):
    assert demo.course_key == CourseKey.from_string("course-v1:OpenedX+DemoX+DemoCourse")
    assert (demo.org, demo.number, demo.run) == ("OpenedX", "DemoX", "DemoCourse")
    assert demo.display_name == "Open edX Demo Course"
    assert demo.start == datetime(2020, 1, 1, tzinfo=UTC)
    assert demo.end is None
    assert demo.self_paced is True
    assert demo.language == "en"
    # policy.json overrides the course XML attribute (thumbnail_demox.jpeg)
    assert demo.course_image == "DemoX-Course-Card.png"
    assert demo.grade_cutoffs == {"Pass": 0.5}
    assert [g["type"] for g in demo.grader] == [
        "Basic Assessment Tools", "Intermediate Assessment Tools", "Advanced Assessment Tools",
    ]
    assert demo.short_description.startswith("Explore Open edX")
    assert demo.fields["enable_subsection_gating"] is True
    assert "lti_passports" not in demo.fields  # secrets are not kept
    assert "tabs" in demo.fields


@needs_data
def test_demo_counts(demo):
    # counted independently by walking the extracted export
    assert counts(demo) == (1, 6, 17, 58, 319)
    assert len(demo.blocks) == 401
    types = Counter(b.block_type for b in demo.blocks)
    assert types["html"] == 266
    assert types["problem"] == 29  # 23 in units + 6 inside the library_content block
    assert types["video"] == 11
    assert types["openassessment"] == 2


@needs_data
def test_demo_order_and_tree(demo):
    root = demo.blocks[0]
    assert root.block_type == "course" and root.parent_key is None and root.position == 0
    chapters = children(demo, root)
    assert [c.display_name for c in chapters] == [
        "Module 1: Dive into the Open edX® platform!",
        "Module 2: Crafting Captivating Content",
        "Module 3: Ace the Assessments!",
        "Module 4: Social Learning: Engaging Through Interaction",
        "Module 5: Your Open edX Community",
        "Conclusion",
    ]
    assert [c.position for c in chapters] == list(range(6))
    assert demo.blocks[1] is chapters[0]
    first_seq = demo.blocks[2]
    assert first_seq.block_type == "sequential"
    assert first_seq.usage_key.block_id == "4e1de5e13fc3422997fe246b40a43aa1"
    assert first_seq.display_name == "Introduction to the Open edX® platform"
    units = children(demo, first_seq)
    assert [u.usage_key.block_id for u in units] == [
        "78b75020d3894fdfa8b4994f97275294", "2a1f276a2b964eb6b137ed56abfe9052",
    ]
    assert [u.display_name for u in units] == [
        "Welcome to the Open edX® platform", "Introduction to the Open edX® software",
    ]
    assert str(first_seq.usage_key) == (
        "block-v1:OpenedX+DemoX+DemoCourse+type@sequential+block@4e1de5e13fc3422997fe246b40a43aa1"
    )
    # pre-order: every parent appears before its children, keys are unique
    seen = set()
    for block in demo.blocks:
        assert block.parent_key is None or block.parent_key in seen
        assert block.usage_key not in seen
        seen.add(block.usage_key)


@needs_data
def test_demo_graded_inheritance_and_scores(demo):
    basic = next(b for b in demo.blocks if b.block_type == "sequential" and b.display_name == "Basic Assessment Tools")
    assert basic.graded is True and basic.format == "Basic Assessment Tools"
    descendants, stack = [], [basic]
    while stack:
        kids = children(demo, stack.pop())
        descendants += kids
        stack += kids
    assert descendants and all(b.graded for b in descendants)
    assert all(b.format == "" for b in descendants)  # format is not inherited
    assert all(b.start == datetime(2020, 1, 1, tzinfo=UTC) for b in descendants)  # course start
    ungraded = next(b for b in demo.blocks if b.block_type == "sequential" and b.display_name == "Videos")
    assert ungraded.graded is False and ungraded.format == ""

    scored = Counter(b.block_type for b in demo.blocks if b.has_score)
    assert scored == Counter({
        "problem": 29, "openassessment": 2, "lti": 2, "drag-and-drop-v2": 1, "edx_sga": 1, "staffgradedxblock": 1,
    })
    assert not any(b.has_score for b in demo.blocks if b.block_type in ("html", "video", "vertical"))
    dnd = next(b for b in demo.blocks if b.block_type == "drag-and-drop-v2")
    assert dnd.weight == 1.0
    library = next(b for b in demo.blocks if b.block_type == "library_content")
    assert library.fields["max_count"] == "2"
    assert len(children(demo, library)) == 6
    ora = next(b for b in demo.blocks if b.usage_key.block_id == "414407a9e235444cb530c102fd0c66d0")
    assert ora.fields["ora_steps"] == [
        {"name": "submission", "start": "2001-01-01T00:00:00+00:00", "due": "2029-01-01T00:00:00+00:00"},
        {"name": "peer-assessment", "start": "2001-01-01T00:00:00+00:00", "due": "2029-01-01T00:00:00+00:00"},
    ]


@needs_data
def test_demo_has_no_exam_settings(demo):
    # the demo course has no timed/hidden sequences; these flags are covered by the synthetic course
    for block in demo.blocks:
        assert not (block.hide_after_due or block.is_time_limited or block.is_proctored_enabled)
        assert block.due is None
        assert block.visible_to_staff_only is False


@needs_data
def test_dhis2_course():
    course = read_olx(DHIS2)
    assert str(course.course_key) == "course-v1:HISP_UiO+DHIS2_101+course"
    assert course.display_name == "DHIS2 Fundamentals"
    assert counts(course) == (1, 6, 53, 115, 300)
    assert course.end == datetime(2020, 12, 31, 1, 0, tzinfo=UTC)
    assert course.enrollment_start == datetime(2017, 3, 31, 20, 0, tzinfo=UTC)
    assert course.advertised_start == "Self-paced"
    assert course.mobile_available is True
    assert course.course_image == "Togo - Sept2016.jpg"
    assert course.effort == "3 weeks with 6 hours"
    assert len(course.grader) == 4
    # quoted JSON date on the chapter, inherited by its descendants
    chapter = course.blocks[1]
    assert chapter.block_type == "chapter"
    assert chapter.start == datetime(2017, 2, 1, 14, 0, tzinfo=UTC)
    assert all(b.start == chapter.start for b in children(course, chapter))
    # due set on a graded sequential is inherited by its units and leaves
    quiz = next(b for b in course.blocks if b.display_name == "Session Quiz - Pivot Tables")
    assert quiz.graded and quiz.format == " Session Quiz"  # raw value, as the platform keeps it
    assert quiz.due == datetime(2017, 2, 28, 1, 0, tzinfo=UTC)
    units = children(course, quiz)
    assert units and all(u.due == quiz.due and u.graded for u in units)
    assert all(u.format == "" for u in units)


@needs_data
def test_directory_source_equals_tarball(tmp_path, demo):
    with tarfile.open(DEMO) as tar:
        tar.extractall(tmp_path, filter="data")
    assert read_olx(tmp_path) == demo  # parent of course/
    assert read_olx(tmp_path / "course") == demo  # the course folder itself
    assert read_olx(str(tmp_path / "course")) == demo


@needs_data
def test_file_object_source(demo):
    with open(DEMO, "rb") as handle:
        assert read_olx(handle) == demo
        assert not handle.closed
    assert read_olx(io.BytesIO(DEMO.read_bytes())) == demo


def test_uncompressed_tar_and_root_level_layout():
    plain = make_tar(mini_files(), mode="w")
    at_root = make_tar(mini_files(), top="")
    reference = read_olx(io.BytesIO(mini_tar()))
    assert read_olx(io.BytesIO(plain)) == reference
    assert read_olx(io.BytesIO(at_root)) == reference


# ---------------------------------------------------------------------------
# synthetic course: policies, inline blocks, inheritance, flags
# ---------------------------------------------------------------------------
@pytest.fixture
def mini():
    return read_olx(io.BytesIO(mini_tar()))


def test_mini_course_level(mini):
    assert str(mini.course_key) == "course-v1:TestX+T101+2024"
    assert mini.display_name == "Policy name"  # policy wins over XML
    assert mini.course_image == "img.png"
    assert mini.language == "fr"
    assert mini.mobile_available is True
    assert mini.end is None
    assert mini.enrollment_start == datetime(2023, 12, 1, tzinfo=UTC)
    assert mini.certificate_available_date == datetime(2024, 6, 1, tzinfo=UTC)
    assert mini.days_early_for_beta == 2.0
    assert mini.grade_cutoffs == {"A": 0.9, "Pass": 0.6}
    assert mini.grader == [{"type": "Final Exam", "weight": 1.0, "min_count": 1, "drop_count": 0}]
    assert mini.short_description == "A tiny course."
    assert mini.effort == "2 hours"
    assert mini.certificates_display_behavior == "end"
    assert mini.fields["tabs"] == [{"type": "courseware"}]
    assert "lti_passports" not in mini.fields


def test_mini_structure_and_inline_blocks(mini):
    names = [b.display_name for b in mini.blocks]
    assert names == [
        "Policy name", "Chapter 1", "Final exam", "Unit 1", "P1", "Practice", "Clip", "Tool", "Tool 2",
        "Hidden (policy)", "Unit 2", "Page", "Inline chapter", "Inline seq", "Inline unit", "Note",
    ]
    assert counts(mini) == (1, 2, 3, 3, 7)  # <wiki> is not a block
    blocks = by_name(mini)
    # inline leaves with url_name keep it; without one they get a stable generated id
    assert blocks["Clip"].usage_key.block_id == "vid1"
    generated = blocks["Practice"].usage_key.block_id
    assert generated.startswith("problem_") and len(generated) == len("problem_") + 12
    assert read_olx(io.BytesIO(mini_tar())).blocks[5].usage_key.block_id == generated
    assert blocks["Inline chapter"].usage_key.block_id.startswith("chapter_")
    assert [b.position for b in children(mini, blocks["Unit 1"])] == [0, 1, 2, 3, 4]
    assert blocks["Page"].fields == {"filename": "h1"}
    assert blocks["P1"].fields == {"max_attempts": "null"}


def test_mini_inheritance(mini):
    b = by_name(mini)
    course_start = datetime(2024, 1, 1, tzinfo=UTC)
    chapter_start = datetime(2024, 1, 15, tzinfo=UTC)  # from policy.json
    assert b["Policy name"].start == course_start
    assert b["Chapter 1"].start == chapter_start
    for name in ("Final exam", "Unit 1", "P1", "Practice", "Clip"):
        assert b[name].start == chapter_start
    due = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)  # naive date read as UTC
    assert b["Chapter 1"].due is None
    for name in ("Final exam", "Unit 1", "P1", "Practice", "Clip"):
        assert b[name].due == due
    assert b["Unit 2"].due is None
    # graded is inherited unless the block sets it; format is not inherited
    assert b["Final exam"].graded and b["Final exam"].format == "Final Exam"
    assert b["Unit 1"].graded and b["P1"].graded and b["Clip"].graded
    assert b["Practice"].graded is False
    assert b["Unit 1"].format == "" and b["P1"].format == ""
    assert b["Chapter 1"].graded is False
    # visible_to_staff_only: true below any ancestor that sets it
    assert b["Hidden (policy)"].visible_to_staff_only
    assert b["Unit 2"].visible_to_staff_only and b["Page"].visible_to_staff_only
    assert not b["Final exam"].visible_to_staff_only
    # inline chapter: quoted JSON date with an offset
    assert b["Inline chapter"].start == datetime(2024, 2, 1, 0, 0, tzinfo=UTC)
    assert b["Note"].start == datetime(2024, 2, 1, 0, 0, tzinfo=UTC)
    # hide_from_toc is inheritable on the platform
    assert b["Inline seq"].hide_from_toc and b["Note"].hide_from_toc
    assert not b["Inline chapter"].hide_from_toc
    for block in mini.blocks:
        assert block.start is None or block.start.tzinfo is not None


def test_mini_exam_flags_and_scores(mini):
    b = by_name(mini)
    exam = b["Final exam"]
    assert exam.hide_after_due and exam.is_time_limited and exam.is_practice_exam
    assert not exam.is_proctored_enabled and not exam.is_onboarding_exam
    assert exam.default_time_limit_minutes == 60
    unit = b["Unit 1"]  # exam settings are not inherited
    assert not unit.hide_after_due and not unit.is_time_limited and unit.default_time_limit_minutes is None
    assert b["P1"].has_score and b["P1"].weight == 2.5
    assert b["Practice"].has_score and b["Practice"].weight is None
    assert b["Tool"].has_score and b["Tool"].weight == 3.0
    assert not b["Tool 2"].has_score
    assert not b["Clip"].has_score


def test_missing_policy_files_use_defaults():
    files = mini_files()
    del files["policies/2024/policy.json"]
    del files["policies/2024/grading_policy.json"]
    course = read_olx(io.BytesIO(make_tar(files)))
    assert course.grade_cutoffs == {"Pass": 0.5}
    assert course.grader == []
    assert course.display_name == "XML name"
    assert course.course_image == "xml.png"
    assert course.mobile_available is False
    assert by_name(course)["Chapter 1"].start == datetime(2024, 1, 1, tzinfo=UTC)


# ---------------------------------------------------------------------------
# hostile and broken input
# ---------------------------------------------------------------------------
def raises(data, match, limits=DEFAULT_LIMITS):
    with pytest.raises(OlxImportError, match=match):
        read_olx(io.BytesIO(data), limits)


def test_malformed_xml():
    files = mini_files()
    files["chapter/ch1.xml"] = '<chapter display_name="x"><sequential url_name="seq1"></chapter>'
    raises(make_tar(files), r"chapter/ch1\.xml: malformed XML")


def test_malformed_json():
    files = mini_files()
    files["policies/2024/policy.json"] = "{not json"
    raises(make_tar(files), r"policy\.json: malformed JSON")


def test_doctype_entity_bomb():
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
        '<course url_name="2024" org="TestX" course="T101" display_name="&lol3;"/>'
    )
    files = mini_files()
    files["course.xml"] = bomb
    raises(make_tar(files), "DOCTYPE/ENTITY")


def test_external_entity_in_other_encoding():
    # UTF-16 hides the byte pattern; the parser-level guard still refuses the DTD
    xxe = ('<?xml version="1.0" encoding="UTF-16"?>'
           '<!DOCTYPE c [<!ENTITY x SYSTEM "secrets.txt">]><chapter display_name="&x;"/>')
    files = mini_files()
    files["chapter/ch1.xml"] = xxe.encode("utf-16")
    raises(make_tar(files), "DOCTYPE/ENTITY")


def test_undefined_entity_is_malformed():
    files = mini_files()
    files["chapter/ch1.xml"] = '<chapter display_name="&x;"/>'
    raises(make_tar(files), "malformed XML")


@pytest.mark.parametrize("name", ["../evil.xml", "course/../../evil.xml", "/etc/evil.xml", "course/chapter/..\\x.xml"])
def test_path_traversal_member(name):
    info = tarfile.TarInfo(name)
    info.size = 0
    data = make_tar(mini_files(), extra=[info])
    raises(data, "path traversal|absolute path")


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE])
def test_link_members(kind):
    info = tarfile.TarInfo("course/chapter/link.xml")
    info.type = kind
    info.linkname = "/etc/passwd"
    raises(make_tar(mini_files(), extra=[info]), "is a link")


@pytest.mark.parametrize("kind", [tarfile.CHRTYPE, tarfile.BLKTYPE, tarfile.FIFOTYPE])
def test_device_members(kind):
    info = tarfile.TarInfo("course/static/dev")
    info.type = kind
    raises(make_tar(mini_files(), extra=[info]), "special file")


def test_missing_referenced_file():
    files = mini_files()
    del files["sequential/seq1.xml"]
    raises(make_tar(files), r"missing file 'sequential/seq1\.xml' \(referenced from chapter/ch1\.xml\)")


def test_missing_course_definition():
    files = mini_files()
    del files["course/2024.xml"]
    raises(make_tar(files), r"missing file 'course/2024\.xml'")


def test_huge_member():
    files = mini_files()
    files["problem/p1.xml"] = b"<problem>" + b" " * (DEFAULT_LIMITS.max_member_bytes + 1) + b"</problem>"
    raises(make_tar(files), r"problem/p1\.xml: file too large")


def test_total_size_cap():
    raises(mini_tar(), "more than 2000 bytes of XML/JSON", OlxLimits(max_total_bytes=2000))


def test_archive_size_cap_counts_ignored_assets():
    files = mini_files()
    files["static/video.mp4"] = b"\x00" * 10_000
    raises(make_tar(files), "archive content exceeds", OlxLimits(max_archive_bytes=5000))


def test_too_many_members():
    raises(mini_tar(), "more than 5 members", OlxLimits(max_archive_members=5))


def test_too_many_blocks():
    raises(mini_tar(), "more than 10 blocks", OlxLimits(max_blocks=10))


def test_too_deep():
    raises(mini_tar(), "nested deeper than 4", OlxLimits(max_depth=4))


def test_deep_container_nesting_is_bounded():
    files = mini_files()
    files["vertical/v2.xml"] = (
        '<vertical>' + '<split_test>' * 40 + '<html/>' + '</split_test>' * 40 + '</vertical>'
    )
    raises(make_tar(files), "nested deeper than")


@pytest.mark.parametrize("data", [b"", b"this is not a tarball at all" * 100, b"\x1f\x8b\x08\x00garbage-gzip" * 10])
def test_not_a_tarball(data):
    raises(data, "not a readable tar archive")


def test_truncated_gzip():
    data = make_tar(mini_files())
    raises(data[: len(data) // 2], "not a readable tar archive")


def test_no_course_xml():
    files = mini_files()
    del files["course.xml"]
    raises(make_tar(files), "no course.xml")


def test_several_course_folders():
    one = make_tar(mini_files(), top="a")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for top in ("a", "b"):
            for name, content in mini_files().items():
                data = content.encode() if isinstance(content, str) else content
                info = tarfile.TarInfo(f"{top}/{name}")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    assert read_olx(io.BytesIO(one)).display_name == "Policy name"
    raises(buf.getvalue(), "several course.xml")


def test_reference_cycle():
    files = mini_files()
    files["vertical/v2.xml"] = '<vertical><split_test url_name="s1"/></vertical>'
    files["split_test/s1.xml"] = '<split_test><vertical url_name="v2"/></split_test>'
    raises(make_tar(files), r"reference cycle through vertical/v2")


def test_self_reference():
    files = mini_files()
    files["chapter/ch1.xml"] = '<chapter><chapter url_name="ch1"/></chapter>'
    raises(make_tar(files), r"reference cycle through chapter/ch1")


def test_block_referenced_twice():
    files = mini_files()
    files["sequential/seq2.xml"] = '<sequential><vertical url_name="v1"/></sequential>'
    raises(make_tar(files), r"block vertical/v1 appears twice")


@pytest.mark.parametrize("url_name", ["..", "..:..:etc:passwd", "a/../../b", "x y"])
def test_bad_url_name(url_name):
    files = mini_files()
    files["chapter/ch1.xml"] = f'<chapter><sequential url_name="{url_name}"/></chapter>'
    raises(make_tar(files), "invalid url_name")


def test_bad_course_xml():
    files = mini_files()
    files["course.xml"] = '<course url_name="2024"/>'
    raises(make_tar(files), "needs url_name, org and course")
    files["course.xml"] = '<chapter url_name="2024" org="a" course="b"/>'
    raises(make_tar(files), "expected <course>")


def test_bad_date():
    files = mini_files()
    files["sequential/seq1.xml"] = '<sequential due="next tuesday"/>'
    raises(make_tar(files), r"sequential/seq1\.xml: sequential seq1: due: invalid date 'next tuesday'")


def test_bad_policy_shape():
    files = mini_files()
    files["policies/2024/policy.json"] = '["not", "an", "object"]'
    raises(make_tar(files), "expected an object of objects")


def test_missing_source(tmp_path):
    with pytest.raises(OlxImportError, match="no such file or directory"):
        read_olx(tmp_path / "nope.tar.gz")
    with pytest.raises(OlxImportError, match="no course.xml"):
        read_olx(tmp_path)
    with pytest.raises(OlxImportError, match="unsupported OLX source"):
        read_olx(42)


def write_tree(root: Path, files):
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)


def test_directory_source_mini(tmp_path):
    write_tree(tmp_path / "course", mini_files())
    assert read_olx(tmp_path) == read_olx(io.BytesIO(mini_tar()))


def test_directory_symlink_refused(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_text('<sequential display_name="outside"/>')
    root = tmp_path / "export" / "course"
    files = mini_files()
    del files["sequential/seq1.xml"]
    write_tree(root, files)
    (root / "sequential" / "seq1.xml").symlink_to(secret)
    with pytest.raises(OlxImportError, match="symlink"):
        read_olx(root)


def test_directory_huge_file(tmp_path):
    write_tree(tmp_path, mini_files())
    with pytest.raises(OlxImportError, match="file too large"):
        read_olx(tmp_path, OlxLimits(max_member_bytes=100))


def test_tarball_path_source(tmp_path):
    path = tmp_path / "export.tgz"
    path.write_bytes(mini_tar())
    assert read_olx(path) == read_olx(str(path))
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"nope")
    with pytest.raises(OlxImportError, match="not a readable tar archive"):
        read_olx(bad)
