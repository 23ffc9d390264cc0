"""``manage.py load_demo_data``: the demo's courses, learners and their progress (safe to run again)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis import api, toggles
from openedx_learner_apis.applets.badges.models import BadgeAssertion, BadgeClass
from openedx_learner_apis.applets.courses.models import Block, Course
from openedx_learner_apis.applets.mobile.models import MobileConfig

DEFAULT_OLX = Path("example/data/demo-course-olx.tar.gz")
PASSWORD = "password"

# key, display name, start offset (days from now), end offset, mobile available, modes
GENERATED_COURSES = [
    ("course-v1:edX+Past101+2023", "History of Past Courses", -400, -30, True, ["audit", "verified"]),
    ("course-v1:edX+Now201+2026", "Learning Right Now", -20, 120, True, ["audit", "verified"]),
    ("course-v1:edX+Future301+2027", "Courses of the Future", 60, 200, True, ["audit"]),
    ("course-v1:Other+Web101+2026", "A Web-only Course", -10, 90, False, ["honor"]),
]


class Command(BaseCommand):
    help = "Load the demo data: the OLX demo course, generated courses, users learner/other/staff, their progress."

    def add_arguments(self, parser):
        parser.add_argument("--olx", action="append", default=None,
                            help=f"An OLX export to import (repeatable; default {DEFAULT_OLX}).")

    def handle(self, olx, **options):
        sources = [Path(path) for path in (olx or [DEFAULT_OLX])]
        for source in sources:
            if not source.exists():
                raise CommandError(f"{source} does not exist; pass --olx PATH to an OLX export.")
        imported = [api.import_olx(str(source)) for source in sources]
        with transaction.atomic():
            self.enable_flags()
            users = self.create_users()
            courses = self.create_courses(imported)
            self.create_progress(users, courses, imported[0])
            self.create_badges(users, courses)
            # Names starting with ``iap_`` are grouped under ``configs.iap_configs`` (see docs/mobile.rst).
            # A configuration change adds a row: a name already configured keeps its latest value.
            for name, value in (("iap_is_enabled", "false"), ("course_dates_calendar_sync", "true")):
                if not MobileConfig.objects.filter(name=name).exists():
                    MobileConfig(name=name, value=value).save()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {len(courses)} courses ({', '.join(str(key) for key in imported)} imported), "
            f"users {', '.join(users)} (password {PASSWORD!r})."))

    def enable_flags(self) -> None:
        """Turn on, for everyone, the courseware features the learning MFE shows (goals, milestones)."""
        from waffle.models import Flag

        for name in (toggles.ENABLE_PROGRESS_MILESTONES, toggles.ENABLE_STREAK_CELEBRATION,
                     toggles.COURSE_EXIT_PAGE, toggles.ENABLE_COURSE_GOALS):
            Flag.objects.update_or_create(name=name.name, defaults={"everyone": True})

    def create_users(self) -> dict:
        user_model = get_user_model()
        users = {}
        for username, name, staff, birth, privacy in [
            ("learner", "Lena Learner", False, 1990, "all_users"),
            ("other", "Oscar Other", False, 1985, "private"),
            ("staff", "Stella Staff", True, 1980, "all_users"),
        ]:
            user, created = user_model.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.com", "is_staff": staff,
                                             "is_superuser": staff})
            if created:
                user.set_password(PASSWORD)
                user.first_name, user.last_name = name.split(" ", 1)
                user.save()
            api.get_or_create_profile(user, name=name, year_of_birth=birth)
            api.set_account_privacy(user, privacy)
            api.set_preference(user, "time_zone", "Europe/Paris" if username == "learner" else "UTC")
            users[username] = user
        return users

    def create_courses(self, imported: list[CourseKey]) -> list[Course]:
        now = timezone.now()
        courses = []
        for key in imported:
            courses.append(api.upsert_course(key, mobile_available=True, start=now - timedelta(days=30),
                                             end=now + timedelta(days=180), org_logo_url="/static/images/logo.png"))
            self.create_modes(courses[-1], ["audit", "verified"])
        for key, name, start, end, mobile, modes in GENERATED_COURSES:
            course = api.upsert_course(key, display_name=name, start=now + timedelta(days=start),
                                       end=now + timedelta(days=end), mobile_available=mobile,
                                       short_description=f"{name}: a generated demo course.",
                                       course_image_url="/static/images/course_image.jpg",
                                       grade_cutoffs={"Pass": 0.5})
            self.create_outline(course)
            self.create_modes(course, modes)
            courses.append(course)
        return courses

    def create_modes(self, course: Course, slugs: list[str]) -> None:
        """Free modes have no SKU; paid ones get a web, an Android and an iOS SKU, as the mobile apps read them."""
        for slug in slugs:
            paid = slug not in ("audit", "honor")
            number = course.number.lower()
            api.upsert_course_mode(
                course.course_key, slug, min_price=49 if paid else 0,
                sku=f"SKU-{course.number}-{slug}".upper() if paid else None,
                android_sku=f"org.edx.mobile.{number}.{slug}" if paid else None,
                ios_sku=f"org.edx.mobile.ios.{number}.{slug}" if paid else None)

    def create_outline(self, course: Course) -> None:
        """A small chapter / sequence / unit / problem tree, unless the course already has one."""
        if Block.objects.filter(course=course).exists():
            return
        key = course.course_key
        order = iter(range(1000))
        root = Block.objects.create(course=course, usage_key=key.make_usage_key("course", "course"),
                                    block_type="course", display_name=course.display_name, preorder=next(order))
        for chapter_index in range(2):
            chapter = Block.objects.create(
                course=course, parent=root, position=chapter_index, preorder=next(order), block_type="chapter",
                usage_key=key.make_usage_key("chapter", f"chapter{chapter_index}"),
                display_name=f"Week {chapter_index + 1}")
            for sequence_index in range(2):
                graded = sequence_index == 1
                sequence = Block.objects.create(
                    course=course, parent=chapter, position=sequence_index, preorder=next(order),
                    block_type="sequential", graded=graded, format="Homework" if graded else "",
                    due=(course.start + timedelta(days=14 * (chapter_index + 1))) if graded else None,
                    usage_key=key.make_usage_key("sequential", f"seq{chapter_index}{sequence_index}"),
                    display_name=f"{'Homework' if graded else 'Lesson'} {chapter_index + 1}.{sequence_index + 1}")
                for unit_index in range(3):
                    unit = Block.objects.create(
                        course=course, parent=sequence, position=unit_index, preorder=next(order),
                        block_type="vertical", graded=graded,
                        usage_key=key.make_usage_key("vertical", f"unit{chapter_index}{sequence_index}{unit_index}"),
                        display_name=f"Unit {unit_index + 1}")
                    leaf_type = "problem" if graded else "html"
                    leaf_id = f"{leaf_type}{chapter_index}{sequence_index}{unit_index}"
                    Block.objects.create(
                        course=course, parent=unit, position=0, preorder=next(order), block_type=leaf_type,
                        graded=graded, has_score=graded,
                        usage_key=key.make_usage_key(leaf_type, leaf_id),
                        display_name=f"{leaf_type.title()} {unit_index + 1}")

    def create_progress(self, users: dict, courses: list[Course], demo_key: CourseKey) -> None:
        learner = users["learner"]
        for course in courses:
            if course.mobile_available or course.course_key == demo_key:
                api.enroll(learner, course.course_key, mode="verified" if course.number == "Past101" else "audit")
        api.enroll(users["other"], demo_key, mode="audit")
        outline = api.get_outline(demo_key)
        units = outline.of_type("vertical")
        for unit in units[:4]:
            for leaf in unit.children:
                api.record_completion(learner, leaf.usage_key, 1.0)
        if units:
            sequence, chapter = units[3].parent, units[3].parent.parent
            api.set_position(learner, outline.root.usage_key, chapter.position + 1)
            api.set_position(learner, chapter.usage_key, sequence.position + 1)
            api.set_position(learner, sequence.usage_key, units[3].position + 1)
        past = next(course for course in courses if course.number == "Past101")
        api.set_course_grade(learner, past.course_key, 0.92, True)
        api.upsert_course(past.course_key, has_any_active_web_certificate=True)
        api.issue_certificate(learner, past.course_key, status="downloadable", mode="verified", grade="0.92")
        api.set_course_grade(learner, demo_key, 0.35, False)
        api.set_course_goal(learner, demo_key, days_per_week=3, subscribed_to_reminders=True)

    def create_badges(self, users: dict, courses: list[Course]) -> None:
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (64, 64), (32, 96, 160)).save(buffer, format="PNG")
        past = next(course for course in courses if course.number == "Past101")
        specs = [("course-complete", "edx__course", past.course_key, "Course completed"),
                 ("first-steps", "openedx__platform", None, "First steps")]
        for slug, component, course_key, name in specs:
            badge_class = BadgeClass.objects.filter(slug=slug, issuing_component=component).first()
            if badge_class is None:
                badge_class = api.create_badge_class(
                    slug, component, display_name=name, description=f"Awarded for: {name.lower()}.",
                    criteria="https://example.com/criteria", course_key=course_key,
                    image=ContentFile(buffer.getvalue(), name=f"{slug}.png"))
            if not BadgeAssertion.objects.filter(user=users["learner"], badge_class=badge_class).exists():
                api.award_badge(users["learner"], badge_class, image_url=f"https://badges.example.com/{slug}.png",
                                assertion_url=f"https://badges.example.com/assertions/{slug}-learner")
