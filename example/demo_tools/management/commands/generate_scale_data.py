"""``manage.py generate_scale_data``: the data set of the performance harness (``make bench``).

Into an empty database it loads 10,000 learners, 200 courses (the imported OLX demo course
and a generated course whose sequences hold 10 and 100 units among them), enrollments,
completions, positions, grades, certificates and badges, plus the growth learners
``bench_e1``, ``bench_e10``, ``bench_e100`` and ``bench_e1000`` (that many enrollments
each). A fixed seed makes two runs produce the same rows; dates are relative to the day
of the run so that "in progress" stays in progress. Rows go in with ``bulk_create`` in
batches; a progress bar follows each phase.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone as dt_timezone
from itertools import islice
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis import api
from openedx_learner_apis.applets.badges.models import BadgeAssertion, BadgeClass
from openedx_learner_apis.applets.certificates.models import Certificate
from openedx_learner_apis.applets.courses.models import Block, Course, CourseMode
from openedx_learner_apis.applets.engagement.models import CourseGoal
from openedx_learner_apis.applets.enrollments.models import Enrollment
from openedx_learner_apis.applets.learners.models import LearnerProfile, UserPreference
from openedx_learner_apis.applets.progress.models import BlockCompletion, CoursewarePosition, PersistentCourseGrade

DEFAULT_OLX = Path("example/data/demo-course-olx.tar.gz")
UNITS_COURSE = "course-v1:BenchX+Units+Bench"
LEARNER_PREFIX = "bench_learner_"
GROWTH_PREFIX = "bench_e"
PASSWORD = "password"
# A learner completes at most this many blocks of a course (the leaves of a small course).
MAX_COMPLETIONS = 12


def growth_username(enrollments: int) -> str:
    return f"{GROWTH_PREFIX}{enrollments}"


def sequence_key(units: int) -> str:
    """The usage key of the generated sequence that holds ``units`` units."""
    return str(CourseKey.from_string(UNITS_COURSE).make_usage_key("sequential", f"seq{units}"))


def batched(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


class Progress:
    """A tqdm bar per phase when tqdm is installed (``requirements/bench.txt``), one line per phase otherwise."""

    def __init__(self, stdout, enabled: bool):
        self.stdout = stdout
        self.enabled = enabled
        try:
            from tqdm import tqdm
        except ImportError:
            tqdm = None
        self.tqdm = tqdm

    def insert(self, model, rows: Iterable, *, total: int, desc: str, batch_size: int) -> list:
        """``bulk_create`` ``rows`` in batches, advancing the bar; the created objects (with pks)."""
        created = []
        bar = self.tqdm(total=total, desc=desc, unit="row", disable=not self.enabled, leave=True,
                        file=self.stdout._out) if self.tqdm else None
        started = time.perf_counter()
        for batch in batched(rows, batch_size):
            created.extend(model.objects.bulk_create(batch, batch_size=batch_size))
            if bar is not None:
                bar.update(len(batch))
        if bar is not None:
            bar.close()
        elif self.enabled:
            self.stdout.write(f"{desc}: {len(created)} rows in {time.perf_counter() - started:.1f} s")
        return created


class Command(BaseCommand):
    help = "Generate the performance harness data set (deterministic; needs an empty database)."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=10_000)
        parser.add_argument("--courses", type=int, default=200,
                            help="Courses the learners enroll in, the imported and the units course included.")
        parser.add_argument("--growth", default="1,10,100,1000",
                            help="Enrollment counts of the growth learners bench_e<N> (extra courses are "
                                 "generated when N exceeds --courses).")
        parser.add_argument("--units", default="10,100", help="Unit counts of the sequences of the units course.")
        parser.add_argument("--seed", type=int, default=20240601)
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--olx", default=str(DEFAULT_OLX), help="The OLX export to import.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        started = time.perf_counter()
        if get_user_model().objects.filter(username__startswith=GROWTH_PREFIX).exists():
            raise CommandError("This database already holds bench data; generate into an empty database.")
        if not Path(options["olx"]).exists():
            raise CommandError(f"{options['olx']} does not exist; pass --olx PATH.")
        self.rng = random.Random(options["seed"])
        self.batch_size = options["batch_size"]
        self.progress = Progress(self.stdout, not options["no_progress"])
        day = datetime.now(dt_timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        self.anchor = day
        growth = sorted({int(size) for size in options["growth"].split(",") if size.strip()})
        unit_sizes = sorted({int(size) for size in options["units"].split(",") if size.strip()})

        demo_key = api.import_olx(options["olx"])
        with transaction.atomic():
            demo = api.upsert_course(demo_key, mobile_available=True, start=day - timedelta(days=30),
                                     end=day + timedelta(days=180))
            courses = [demo, *self.create_courses(max(options["courses"], 2) - 1, unit_sizes)]
            extra = max(growth, default=0) - len(courses)
            archive = self.create_small_courses("BenchArchive", extra, first_index=len(courses)) if extra > 0 else []
            self.create_modes([*courses, *archive])
            leaves = self.leaves_by_course([*courses, *archive])
            badge_classes = self.create_badge_classes([*courses, *archive])
            learners = self.create_learners(options["learners"])
            self.create_learner_activity(learners, courses, leaves, badge_classes)
            self.create_growth_learners(growth, [*courses, *archive], leaves, badge_classes)
        self.analyze()
        self.stdout.write(self.style.SUCCESS(
            f"Scale data ready in {time.perf_counter() - started:.0f} s: {len(learners)} learners, "
            f"{len(courses)} courses (+{len(archive)} for the growth learners), "
            f"{Enrollment.objects.count()} enrollments, {BlockCompletion.objects.count()} completions, "
            f"{Certificate.objects.count()} certificates, {BadgeAssertion.objects.count()} badges."))

    def analyze(self) -> None:
        """Refresh the planner statistics: right after a bulk load they describe empty tables.

        Without this PostgreSQL joins enrollments to courses by scanning every course for a
        while (until autovacuum runs), which is not what a live site sees.
        """
        # PostgreSQL only: MySQL's ANALYZE TABLE commits the open transaction, and InnoDB keeps
        # its statistics up to date by itself.
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # Courses -------------------------------------------------------------------------------------

    def course_dates(self, index: int) -> tuple[datetime, datetime]:
        """Mostly running courses, some finished, a few upcoming: every v4 status has rows."""
        kind = index % 10
        if kind < 6:
            return self.anchor - timedelta(days=20 + index % 30), self.anchor + timedelta(days=90 + index % 60)
        if kind < 9:
            return self.anchor - timedelta(days=400 + index % 90), self.anchor - timedelta(days=30 + index % 60)
        return self.anchor + timedelta(days=30 + index % 60), self.anchor + timedelta(days=200)

    def new_course(self, key: CourseKey, index: int, name: str) -> Course:
        start, end = self.course_dates(index)
        return Course(course_key=key, org=key.org, number=key.course, run=key.run, display_name=name,
                      start=start, end=end, mobile_available=True, self_paced=index % 4 == 0,
                      short_description=f"{name}: generated for the performance harness.",
                      course_image_url="/static/images/course_image.jpg", grade_cutoffs={"Pass": 0.5})

    def create_courses(self, count: int, unit_sizes: list[int]) -> list[Course]:
        units_key = CourseKey.from_string(UNITS_COURSE)
        units_course = self.new_course(units_key, 0, "Units at scale")
        units_course.save()
        self.create_units_outline(units_course, unit_sizes)
        return [units_course, *self.create_small_courses("BenchX", count - 1, first_index=2)]

    def create_units_outline(self, course: Course, unit_sizes: list[int]) -> None:
        """One chapter per size, each with one sequence of that many units (a vertical and an HTML leaf each)."""
        key = course.course_key
        order = iter(range(10**6))
        root = Block.objects.create(course=course, usage_key=key.make_usage_key("course", "course"),
                                    block_type="course", display_name=course.display_name, preorder=next(order))
        units = []
        for position, size in enumerate(unit_sizes):
            chapter = Block.objects.create(course=course, parent=root, position=position, preorder=next(order),
                                           block_type="chapter", display_name=f"{size} units",
                                           usage_key=key.make_usage_key("chapter", f"chapter{size}"))
            sequence = Block.objects.create(course=course, parent=chapter, position=0, preorder=next(order),
                                            block_type="sequential", display_name=f"A sequence of {size} units",
                                            usage_key=key.make_usage_key("sequential", f"seq{size}"))
            for index in range(size):
                unit = Block(course=course, parent=sequence, position=index, preorder=next(order),
                             block_type="vertical", display_name=f"Unit {index + 1}",
                             usage_key=key.make_usage_key("vertical", f"u{size}_{index}"))
                leaf = Block(course=course, position=0, preorder=next(order), block_type="html",
                             display_name=f"Text {index + 1}", usage_key=key.make_usage_key("html", f"h{size}_{index}"))
                units.append((unit, leaf))
        Block.objects.bulk_create([unit for unit, _ in units], batch_size=self.batch_size)
        for unit, leaf in units:
            leaf.parent = unit
        Block.objects.bulk_create([leaf for _, leaf in units], batch_size=self.batch_size)

    def create_small_courses(self, org: str, count: int, *, first_index: int) -> list[Course]:
        """``count`` courses with 2 chapters x 2 sequences x 3 units x 1 leaf (the second sequence graded)."""
        courses = self.progress.insert(
            Course, (self.new_course(CourseKey.from_string(f"course-v1:{org}+C{index:04d}+Bench"), index,
                                     f"{org} course {index}")
                     for index in range(first_index, first_index + count)),
            total=count, desc=f"courses {org}", batch_size=self.batch_size)
        roots = Block.objects.bulk_create([
            Block(course=course, usage_key=course.course_key.make_usage_key("course", "course"), block_type="course",
                  display_name=course.display_name, preorder=0) for course in courses], batch_size=self.batch_size)
        levels = [("chapter", 2), ("sequential", 2), ("vertical", 3)]
        parents = roots
        for depth, (block_type, fanout) in enumerate(levels, start=1):
            parents = Block.objects.bulk_create([
                Block(course=parent.course, parent=parent, position=index, preorder=depth, block_type=block_type,
                      graded=block_type != "chapter" and self.is_graded(parent, index, block_type),
                      format="Homework" if block_type == "sequential" and index == 1 else "",
                      display_name=f"{block_type.title()} {index + 1}",
                      usage_key=parent.course.course_key.make_usage_key(
                          block_type, f"{parent.usage_key.block_id}_{index}"))
                for parent in parents for index in range(fanout)], batch_size=self.batch_size)
        leaves = [Block(course=unit.course, parent=unit, position=0, preorder=4,
                        block_type="problem" if unit.graded else "html", graded=unit.graded, has_score=unit.graded,
                        display_name=f"Leaf of {unit.display_name}",
                        usage_key=unit.course.course_key.make_usage_key("problem" if unit.graded else "html",
                                                                         f"{unit.usage_key.block_id}_leaf"))
                  for unit in parents]
        Block.objects.bulk_create(leaves, batch_size=self.batch_size)
        self.fix_preorder(courses)
        return courses

    @staticmethod
    def is_graded(parent: Block, index: int, block_type: str) -> bool:
        return index == 1 if block_type == "sequential" else parent.graded

    def fix_preorder(self, courses: list[Course]) -> None:
        """Number each generated tree in depth-first order (it was inserted level by level)."""
        blocks = Block.objects.filter(course__in=courses).only("id", "course_id", "parent_id", "position")
        children: dict = {}
        roots = []
        for block in blocks:
            (children.setdefault(block.parent_id, []) if block.parent_id else roots).append(block)
        updated = []
        for root in roots:
            stack, order = [root], 0
            while stack:
                block = stack.pop()
                block.preorder = order
                order += 1
                updated.append(block)
                stack.extend(sorted(children.get(block.id, []), key=lambda child: -child.position))
        Block.objects.bulk_update(updated, ["preorder"], batch_size=self.batch_size)

    def create_modes(self, courses: list[Course]) -> None:
        self.progress.insert(CourseMode, (
            CourseMode(course=course, mode_slug=slug, mode_display_name=slug.title(), min_price=price,
                       sku=f"SKU-{course.number}-{slug}".upper() if price else None)
            for course in courses for slug, price in (("audit", 0), ("verified", 49))),
            total=2 * len(courses), desc="course modes", batch_size=self.batch_size)

    def leaves_by_course(self, courses: list[Course]) -> dict:
        """``{course_id: [leaf Block...]}`` in course order (leaves: blocks without children)."""
        parents = set(Block.objects.filter(course__in=courses, parent__isnull=False)
                      .values_list("parent_id", flat=True))
        leaves: dict = {}
        for block in (Block.objects.filter(course__in=courses).exclude(id__in=parents)
                      .only("id", "course_id", "usage_key", "block_type").order_by("course_id", "preorder")):
            leaves.setdefault(block.course_id, []).append(block)
        return leaves

    def create_badge_classes(self, courses: list[Course]) -> dict:
        """One course-complete badge class per course; they share one stored image."""
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (64, 64), (32, 96, 160)).save(buffer, format="PNG")
        first = api.create_badge_class("course-complete", "edx__course", display_name="Completed",
                                       description="Completed the course.", criteria="https://example.com/criteria",
                                       course_key=courses[0].course_key,
                                       image=ContentFile(buffer.getvalue(), name="bench-badge.png"))
        created = self.progress.insert(BadgeClass, (
            BadgeClass(slug="course-complete", issuing_component="edx__course", display_name="Completed",
                       description="Completed the course.", criteria="https://example.com/criteria",
                       course_key=course.course_key, image=first.image.name)
            for course in courses[1:]), total=len(courses) - 1, desc="badge classes", batch_size=self.batch_size)
        return {badge_class.course_key: badge_class for badge_class in [first, *created]}

    # Learners ------------------------------------------------------------------------------------

    def new_users(self, usernames: list[str]) -> list:
        user_model = get_user_model()
        password = make_password(PASSWORD)
        users = self.progress.insert(user_model, (
            user_model(username=name, email=f"{name}@example.com", password=password, first_name="Bench",
                       last_name=name, date_joined=self.anchor - timedelta(days=500))
            for name in usernames), total=len(usernames), desc="users", batch_size=self.batch_size)
        self.progress.insert(LearnerProfile, (
            LearnerProfile(user=user, name=f"Bench {user.username}", year_of_birth=1970 + index % 35)
            for index, user in enumerate(users)), total=len(users), desc="profiles", batch_size=self.batch_size)
        self.progress.insert(UserPreference, (
            UserPreference(user=user, key="account_privacy", value="all_users") for user in users),
            total=len(users), desc="preferences", batch_size=self.batch_size)
        return users

    def create_learners(self, count: int) -> list:
        return self.new_users([f"{LEARNER_PREFIX}{index:05d}" for index in range(count)])

    def create_learner_activity(self, learners: list, courses: list[Course], leaves: dict, badges: dict) -> None:
        """Each learner takes 1 to 8 courses and completes up to ``MAX_COMPLETIONS`` blocks of each."""
        plan = []
        for user in learners:
            for course in self.rng.sample(courses, self.rng.randint(1, min(8, len(courses)))):
                done = self.rng.randint(0, min(MAX_COMPLETIONS, len(leaves.get(course.id, []))))
                plan.append((user, course, done, self.rng.random()))
        self.add_progress(plan, leaves, badges, desc="learners")

    def create_growth_learners(self, sizes: list[int], courses: list[Course], leaves: dict, badges: dict) -> None:
        """``bench_e<N>`` is enrolled in the first N courses (the demo course first), a third of them certified."""
        users = self.new_users([growth_username(size) for size in sizes])
        plan = []
        for user, size in zip(users, sizes):
            for index, course in enumerate(courses[:size]):
                plan.append((user, course, min(3, len(leaves.get(course.id, []))), 0.9 if index % 3 else 0.0))
        self.add_progress(plan, leaves, badges, desc="growth learners")
        # Each learner last worked in their second newest course, so that the v4 primary is found the
        # same way (and with the same queries) at every size.
        if len(courses) > 1:
            for model in (CoursewarePosition, BlockCompletion):
                model.objects.filter(user__in=[user for user, size in zip(users, sizes) if size > 1],
                                     course_key=courses[1].course_key).update(modified=datetime.now(dt_timezone.utc))
        UserPreference.objects.bulk_create([UserPreference(user=user, key="time_zone", value="Europe/Paris")
                                            for user in users])
        CourseGoal.objects.bulk_create([CourseGoal(user=user, course_key=courses[0].course_key, days_per_week=3)
                                        for user in users])

    def add_progress(self, plan: list[tuple], leaves: dict, badges: dict, *, desc: str) -> None:
        """Enrollments, completions, positions, and for finishers (draw < 0.25) a grade, certificate and badge.

        ``plan`` holds ``(user, course, leaves completed, draw)``.
        """
        enrolled = [(user, course, done, draw, self.anchor - timedelta(days=index % 300, minutes=index))
                    for index, (user, course, done, draw) in enumerate(plan)]
        self.progress.insert(Enrollment, (
            Enrollment(user=user, course=course, mode="verified" if draw < 0.25 else "audit", created=created)
            for user, course, done, draw, created in enrolled),
            total=len(enrolled), desc=f"{desc}: enrollments", batch_size=self.batch_size)
        self.progress.insert(BlockCompletion, (
            BlockCompletion(user=user, course_key=course.course_key, block_key=leaf.usage_key,
                            block_type=leaf.block_type, completion=1.0)
            for user, course, done, _, _ in enrolled for leaf in leaves.get(course.id, [])[:done]),
            total=sum(done for _, _, done, _, _ in enrolled), desc=f"{desc}: completions",
            batch_size=self.batch_size)
        self.progress.insert(CoursewarePosition, (
            CoursewarePosition(user=user, course_key=course.course_key,
                               block_key=course.course_key.make_usage_key("course", "course"), position=1)
            for user, course, done, _, _ in enrolled if done),
            total=sum(1 for row in enrolled if row[2]), desc=f"{desc}: positions", batch_size=self.batch_size)
        finishers = [(user, course) for user, course, _, draw, _ in enrolled if draw < 0.25]
        self.progress.insert(PersistentCourseGrade, (
            PersistentCourseGrade(user=user, course_key=course.course_key, percent_grade=0.9, letter_grade="Pass",
                                  passed_timestamp=self.anchor - timedelta(days=1))
            for user, course in finishers), total=len(finishers), desc=f"{desc}: grades",
            batch_size=self.batch_size)
        self.progress.insert(Certificate, (
            Certificate(user=user, course_key=course.course_key, status="downloadable", mode="verified",
                        grade="0.9", name=f"Bench {user.username}", verify_uuid=f"{user.id:016x}{course.id:016x}",
                        download_url=f"/certificates/{user.id}/{course.id}.pdf")
            for user, course in finishers), total=len(finishers), desc=f"{desc}: certificates",
            batch_size=self.batch_size)
        awarded = [(user, badges[course.course_key]) for user, course in finishers if course.course_key in badges]
        self.progress.insert(BadgeAssertion, (
            BadgeAssertion(user=user, badge_class=badge_class, backend="bench",
                           image_url=f"https://badges.example.com/{badge_class.id}.png",
                           assertion_url=f"https://badges.example.com/assertions/{badge_class.id}-{user.id}")
            for user, badge_class in awarded), total=len(awarded), desc=f"{desc}: badges",
            batch_size=self.batch_size)
