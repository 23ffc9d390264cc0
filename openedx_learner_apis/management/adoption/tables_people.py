"""The learners' tables: accounts, profiles, preferences, streaks and the last courseware time zone.

Accounts (``auth_user``) are copied only from outside the LMS: inside it the table is shared.
A copied account keeps its username, email, names, ``is_active``, ``is_staff`` and join date;
it gets no usable password (the host authenticates learners with the LMS's tokens or session)
and never ``is_superuser``. An LMS username that differs from an account here only in letter
case, on a database that cannot hold both (MariaDB), is reported, not merged.

A profile image uploaded in the LMS is adopted with an empty ``profile_image_version``: the
files keep Open edX's unversioned names (``<hash>_<size>.jpg``), so the LMS's existing files
are served as they are, with ``?v=<upload epoch seconds>`` as the LMS built its URLs. An image
uploaded here since (a non-empty version) is newer and kept.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connections, router

from ...applets.engagement.models import LastSeenCoursewareTimezone, UserCelebration
from ...applets.learners.models import LearnerProfile, UserPreference
from ...applets.learners.preferences import ACCOUNT_PRIVACY, TIME_ZONE, VISIBILITY_PREFIX
from ...core.users import same_ignoring_case
from .source import Query
from .table import Ignored, Table, Unmappable, users_and_courses
from .values import aware, day, flag, text
from .writer import Mapped

# The preferences the accounts and courseware APIs read; the LMS's other keys stay with the LMS.
LANGUAGE_PREFERENCE = "pref-lang"
ADOPTED_PREFERENCES = (ACCOUNT_PRIVACY, TIME_ZONE, LANGUAGE_PREFERENCE)


def _shared_users(context):
    return "the LMS's auth_user is this app's user table" if context.shared_users else None


def _prepare_users(rows, context):
    names = [row["username"] for row in rows]
    users = get_user_model()._default_manager
    lowered = {}
    for username in users.filter(username__in=names).values_list("username", flat=True):
        lowered.setdefault(username.lower(), []).append(username)
    # MariaDB/MySQL's unique index on the username folds letter case: "Alice" cannot join "alice".
    folds_case = connections[router.db_for_write(get_user_model())].vendor == "mysql"
    return {"ours": lowered, "folds_case": folds_case}


def _map_user(row, prepared, context):
    username = text(row["username"])
    if not username:
        raise Unmappable("empty username")
    ours = prepared["ours"].get(username.lower(), [])
    twins = [name for name in ours if name != username and same_ignoring_case(name, username)]
    if twins and username not in ours and prepared["folds_case"]:
        raise Unmappable(f"username {username!r} differs only in letter case from the existing {twins[0]!r}")
    return Mapped(key=(username,), values={
        "email": text(row["email"]), "first_name": text(row["first_name"])[:150],
        "last_name": text(row["last_name"])[:150], "is_active": flag(row["is_active"]),
        "is_staff": flag(row["is_staff"]), "date_joined": aware(row["date_joined"]),
    }, create_only={"password": make_password(None)})


def users_table() -> Table:
    return Table(
        query=Query("auth_user", ("username", "email", "first_name", "last_name", "is_active", "is_staff",
                                  "date_joined")),
        model=get_user_model(), key_fields=("username",), map_row=_map_user, prepare=_prepare_users,
        keep_dates=("date_joined",), skip=_shared_users)


def _map_profile(row, prepared, context):
    year = row["year_of_birth"]
    return Mapped(key=(context.user(prepared["users"], row["user_id"]),), values={
        "name": text(row["name"])[:255], "year_of_birth": int(year) if year not in (None, "") else None,
        "bio": text(row["bio"]), "country": text(row["country"])[:2],
        "level_of_education": text(row["level_of_education"])[:6],
        "profile_image_uploaded_at": aware(row["profile_image_uploaded_at"]), "profile_image_version": "",
    })


def _keep_image_uploaded_here(profile, values):
    if profile.profile_image_version:
        return {name: value for name, value in values.items() if not name.startswith("profile_image_")}
    return values


def _map_preference(row, prepared, context):
    key = text(row["key"])
    if key not in ADOPTED_PREFERENCES and not key.startswith(VISIBILITY_PREFIX):
        raise Ignored("a preference this app does not read")
    return Mapped(key=(context.user(prepared["users"], row["user_id"]), key), values={"value": text(row["value"])})


def _map_streak(row, prepared, context):
    return Mapped(key=(context.user(prepared["users"], row["user_id"]),), values={
        "last_day_of_streak": day(row["last_day_of_streak"]), "streak_length": int(row["streak_length"] or 0),
        "longest_ever_streak": int(row["longest_ever_streak"] or 0),
        "created": aware(row["created"]), "modified": aware(row["modified"]),
    })


def _map_time_zone(row, prepared, context):
    return Mapped(key=(context.user(prepared["users"], row["user_id"]),),
                  values={"last_seen_courseware_timezone": text(row["last_seen_courseware_timezone"])[:255]})


def people_tables() -> list[Table]:
    return [
        users_table(),
        Table(query=Query("auth_userprofile", ("user_id", "name", "year_of_birth", "bio", "country",
                                               "level_of_education", "profile_image_uploaded_at")),
              model=LearnerProfile, key_fields=("user_id",), map_row=_map_profile, prepare=users_and_courses(),
              merge=_keep_image_uploaded_here),
        Table(query=Query("user_api_userpreference", ("user_id", "key", "value")),
              model=UserPreference, key_fields=("user_id", "key"), map_row=_map_preference,
              prepare=users_and_courses()),
        Table(query=Query("student_usercelebration", ("user_id", "last_day_of_streak", "streak_length",
                                                      "longest_ever_streak", "created", "modified"),
                          since_column="modified"),
              model=UserCelebration, key_fields=("user_id",), map_row=_map_streak, prepare=users_and_courses(),
              keep_dates=("created", "modified")),
        Table(query=Query("courseware_lastseencoursewaretimezone", ("user_id", "last_seen_courseware_timezone")),
              model=LastSeenCoursewareTimezone, key_fields=("user_id",), map_row=_map_time_zone,
              prepare=users_and_courses()),
    ]
