"""Deterministic, LMS-shaped rows for the adoption tests and the throughput benchmark.

A seeded ``random.Random`` picks everything, so two fills with one seed hold the same rows.
Dates are fixed (no wall clock). The awkward rows an LMS collects over the years are there on
purpose: inactive enrollments, an audit mode that expired, usernames differing only in letter
case (where the database can hold them), rows naming deleted accounts, certificates in every
status, unicode names, an unparseable course key, a course without an overview, preferences
and roles this app does not read.
"""

from __future__ import annotations

import datetime
import json
import random
import uuid

from . import lms_schema as lms

UTC = datetime.UTC
EPOCH = datetime.datetime(2024, 1, 15, 9, 30, tzinfo=UTC)
ORG = "AdoptX"
MISSING_COURSE = "course-v1:GoneX+Deleted+2019"
BAD_COURSE = "not a course key"
DELETED_USER_ID = 900_000
STATUSES = ("downloadable", "notpassing", "unavailable", "generating", "error", "restricted", "audit_passing",
            "audit_notpassing", "unverified", "invalidated", "requesting", "deleted", "deleting",
            "honor_passing", "auditing")
NAMES = ("Zoë Ångström", "李雷", "Олег Петров", "José Núñez", "Ada Lovelace", "Søren Kierkegaard", "Aïcha Diallo",
         "محمد علي", "Grace Hopper", "Ngũgĩ wa Thiong'o")


def course_ids(courses: int) -> list[str]:
    return [f"course-v1:{ORG}+C{number}+2024" for number in range(1, courses + 1)]


def _at(rng: random.Random, days: int = 300) -> datetime.datetime:
    return EPOCH + datetime.timedelta(days=rng.randint(0, days), seconds=rng.randint(0, 86_399),
                                      microseconds=rng.randint(0, 999_999))


def fill(alias: str, *, seed: int = 19, learners: int = 120, courses: int = 4, case_twins: bool = True,
         extra_courses: tuple = (), batch_size: int = 2000) -> dict:
    """Fill the LMS tables of ``alias``; the usernames and course ids written, for the tests' expectations.

    ``extra_courses`` (course keys of courses imported from OLX in the test) get enrollments,
    overviews and grades like the generated ones.
    """
    rng = random.Random(seed)
    db = lms.AuthUser.objects.using(alias)
    usernames = [f"learner{number:05d}" for number in range(learners)]
    if case_twins:
        usernames += ["Alice", "alice"]
    usernames += ["staffer"]
    start_id = max(db.values_list("id", flat=True), default=0) + 1
    users = [lms.AuthUser(id=start_id + index, username=name, password="pbkdf2_sha256$x", email=f"{name}@example.org",
                          first_name=NAMES[index % len(NAMES)].split()[0], last_name="", is_staff=name == "staffer",
                          is_active=index % 17 != 5, date_joined=_at(rng)) for index, name in enumerate(usernames)]
    db.bulk_create(users, batch_size=batch_size)
    ids = {user.username: user.id for user in users}
    keys = [*extra_courses, *course_ids(courses)]
    _overviews(alias, rng, keys)
    _profiles(alias, rng, users, batch_size)
    enrollments = _enrollments(alias, rng, users, keys, batch_size)
    _records(alias, rng, users, enrollments, keys, batch_size)
    return {"usernames": usernames, "user_ids": ids, "courses": keys}


def _overviews(alias, rng, keys) -> None:
    rows, modes = [], []
    for index, key in enumerate(keys):
        org, number, run = key.removeprefix("course-v1:").split("+")
        rows.append(lms.CourseOverview(
            id=key, created=EPOCH, modified=EPOCH, version=18,
            _location=f"block-v1:{org}+{number}+{run}+type@course+block@course", org=org,
            display_name=f"Course {number} — “{NAMES[index % len(NAMES)]}”", display_number_with_default=number,
            display_org_with_default=org, start=EPOCH - datetime.timedelta(days=30),
            end=EPOCH + datetime.timedelta(days=3650) if index % 2 else None, self_paced=index % 2 == 0,
            mobile_available=True, certificates_display_behavior="early_no_info", cert_html_view_enabled=True,
            has_any_active_web_certificate=True, lowest_passing_grade="0.50", language="en",
            course_image_url=f"/asset-v1:{org}+{number}+{run}+type@asset+block@images_course_image.jpg",
            short_description=f"About {number}", effort="4h/week", catalog_visibility="both"))
        modes.append(lms.CourseMode(course_id=key, mode_slug="audit", mode_display_name="Audit",
                                    expiration_datetime=EPOCH - datetime.timedelta(days=1) if index == 0 else None))
        modes.append(lms.CourseMode(course_id=key, mode_slug="verified", mode_display_name="Verified", min_price=49,
                                    expiration_datetime=EPOCH + datetime.timedelta(days=400), sku=f"SKU{index}"))
    lms.CourseOverview.objects.using(alias).bulk_create(rows)
    lms.CourseMode.objects.using(alias).bulk_create(modes)


def _profiles(alias, rng, users, batch_size) -> None:
    profiles, preferences, streaks, zones = [], [], [], []
    for index, user in enumerate(users):
        uploaded = _at(rng).replace(microsecond=0) if index % 3 == 0 else None
        profiles.append(lms.UserProfile(user_id=user.id, name=f"{NAMES[index % len(NAMES)]} {index}",
                                        year_of_birth=rng.choice([None, 1970 + index % 40]), country="FR",
                                        level_of_education=rng.choice([None, "b", "m", "p"]),
                                        bio=rng.choice([None, "Hello ✨"]), profile_image_uploaded_at=uploaded))
        preferences.append(lms.UserPreference(user_id=user.id, key="account_privacy",
                                              value=rng.choice(["all_users", "private"])))
        preferences.append(lms.UserPreference(user_id=user.id, key="time_zone",
                                              value=rng.choice(["Europe/Paris", "Asia/Tokyo", "UTC"])))
        preferences.append(lms.UserPreference(user_id=user.id, key="pref-lang",
                                              value=rng.choice(["en", "fr", "zh-cn"])))
        preferences.append(lms.UserPreference(user_id=user.id, key="dark-lang", value="eo"))
        if index % 4 == 0:
            preferences.append(lms.UserPreference(user_id=user.id, key="visibility.course_certificates",
                                                  value="all_users"))
            streaks.append(lms.UserCelebration(user_id=user.id, created=EPOCH, modified=EPOCH,
                                               last_day_of_streak=EPOCH.date(), streak_length=index % 9,
                                               longest_ever_streak=index % 9 + 3))
            zones.append(lms.LastSeenCoursewareTimezone(user_id=user.id, last_seen_courseware_timezone="Asia/Tokyo"))
    preferences.append(lms.UserPreference(user_id=DELETED_USER_ID, key="time_zone", value="UTC"))
    lms.UserProfile.objects.using(alias).bulk_create(profiles, batch_size=batch_size)
    lms.UserPreference.objects.using(alias).bulk_create(preferences, batch_size=batch_size)
    lms.UserCelebration.objects.using(alias).bulk_create(streaks, batch_size=batch_size)
    lms.LastSeenCoursewareTimezone.objects.using(alias).bulk_create(zones, batch_size=batch_size)


def _enrollments(alias, rng, users, keys, batch_size) -> list:
    rows = []
    for user in users:
        for key in rng.sample(keys, rng.randint(1, min(3, len(keys)))):
            rows.append(lms.CourseEnrollment(user_id=user.id, course_id=key, created=_at(rng),
                                             is_active=rng.random() > 0.15,
                                             mode=rng.choice(["audit", "audit", "verified", "honor"])))
    rows.append(lms.CourseEnrollment(user_id=users[0].id, course_id=MISSING_COURSE, created=EPOCH, mode="audit"))
    rows.append(lms.CourseEnrollment(user_id=users[1].id, course_id=BAD_COURSE, created=EPOCH, mode="audit"))
    rows.append(lms.CourseEnrollment(user_id=DELETED_USER_ID, course_id=keys[-1], created=EPOCH, mode="verified"))
    created = lms.CourseEnrollment.objects.using(alias).bulk_create(rows, batch_size=batch_size)
    if created and created[0].pk is None:
        created = list(lms.CourseEnrollment.objects.using(alias).order_by("id"))
    return created


def _records(alias, rng, users, enrollments, keys, batch_size) -> None:
    certificates, grades, completions, celebrations, goals, roles = [], [], [], [], [], []
    for index, enrollment in enumerate(enrollments):
        stamp = _at(rng)
        if enrollment.course_id in (BAD_COURSE,):
            continue
        certificates.append(lms.GeneratedCertificate(
            user_id=enrollment.user_id, course_id=enrollment.course_id, verify_uuid=uuid.UUID(int=index).hex,
            download_uuid="", download_url="", grade=f"{rng.random():.2f}", status=STATUSES[index % len(STATUSES)],
            mode=enrollment.mode, name=f"Learner {enrollment.user_id}", created_date=stamp, modified_date=stamp))
        percent = round(rng.random(), 4)
        grades.append(lms.PersistentCourseGrade(
            user_id=enrollment.user_id, course_id=enrollment.course_id, percent_grade=percent,
            letter_grade="Pass" if percent >= 0.5 else "", passed_timestamp=stamp if percent >= 0.5 else None,
            created=stamp, modified=stamp))
        org, number, run = enrollment.course_id.removeprefix("course-v1:").split("+")
        for block in range(rng.randint(0, 4)):
            completions.append(lms.BlockCompletion(
                user_id=enrollment.user_id, course_key=enrollment.course_id,
                block_key=f"block-v1:{org}+{number}+{run}+type@problem+block@p{block}", block_type="problem",
                completion=rng.choice([0.0, 0.5, 1.0]), created=stamp, modified=stamp))
        if index % 3 == 0:
            celebrations.append(lms.CourseEnrollmentCelebration(enrollment_id=enrollment.id, created=stamp,
                                                                modified=stamp, celebrate_first_section=True,
                                                                celebrate_weekly_goal=index % 2 == 0))
        if index % 5 == 0 and enrollment.user_id != DELETED_USER_ID:
            goals.append(lms.CourseGoal(user_id=enrollment.user_id, course_key=enrollment.course_id,
                                        days_per_week=rng.choice([1, 3, 5]), subscribed_to_reminders=True,
                                        unsubscribe_token=uuid.UUID(int=index + 1)))
    roles.append(lms.CourseAccessRole(user_id=users[-1].id, org=ORG, course_id=keys[-1], role="staff"))
    roles.append(lms.CourseAccessRole(user_id=users[-1].id, org=ORG, course_id="", role="instructor"))
    roles.append(lms.CourseAccessRole(user_id=users[-1].id, org="", course_id="", role="support"))
    grades.append(lms.PersistentCourseGrade(user_id=DELETED_USER_ID, course_id=keys[0], percent_grade=0.9,
                                            letter_grade="Pass", passed_timestamp=EPOCH, created=EPOCH, modified=EPOCH))
    for model, rows in ((lms.GeneratedCertificate, certificates), (lms.PersistentCourseGrade, grades),
                        (lms.BlockCompletion, completions), (lms.CourseEnrollmentCelebration, celebrations),
                        (lms.CourseGoal, goals), (lms.CourseAccessRole, roles)):
        model.objects.using(alias).bulk_create(rows, batch_size=batch_size)
    _badges(alias, rng, users, keys)


def _badges(alias, rng, users, keys) -> None:
    classes = [lms.BadgeClass(slug="first_enroll", issuing_component="openedx__course", display_name="First steps",
                              course_id="", description="Enrolled once", criteria="https://example.org/c",
                              image="badge_classes/first.png"),
               lms.BadgeClass(slug="completed", issuing_component="", display_name="Finisher", course_id=keys[-1],
                              description="Finished", criteria="Finish it", mode="verified",
                              image="badge_classes/done.png")]
    lms.BadgeClass.objects.using(alias).bulk_create(classes)
    classes = list(lms.BadgeClass.objects.using(alias).order_by("id"))
    assertions = []
    for index, user in enumerate(users[::7]):
        badge = classes[index % 2]
        assertions.append(lms.BadgeAssertion(
            user_id=user.id, badge_class_id=badge.id, data=json.dumps({"id": index}), backend="BadgrBackend",
            image_url=f"https://badges.example.org/{index}.png", assertion_url=f"https://badges.example.org/a/{index}",
            created=_at(rng), modified=EPOCH))
    assertions.append(lms.BadgeAssertion(user_id=DELETED_USER_ID, badge_class_id=classes[0].id, data="{}",
                                         backend="BadgrBackend", image_url="https://badges.example.org/x.png",
                                         assertion_url="https://badges.example.org/a/x", created=EPOCH, modified=EPOCH))
    lms.BadgeAssertion.objects.using(alias).bulk_create(assertions)
