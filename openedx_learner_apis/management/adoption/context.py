"""Resolving the LMS's user ids and course keys to this app's users and courses, a batch at a time.

Inside the LMS the two share one ``auth_user`` table, so an LMS user id is this app's user id.
From outside, users are matched by username, spelled exactly (letter case included): the
``auth_user`` step creates the ones missing. A user id whose row is gone (a deleted learner)
resolves to nothing, and the rows that name it are reported, not stored.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from ...applets.courses.models import Course
from .source import LmsSource
from .values import Unmappable, course_key

# Resolved ids are remembered across batches up to this many; then the memory starts over.
_MEMORY = 200_000


class AdoptionContext:
    """What the table steps share: the source, whether users are shared, and the resolution memories."""

    def __init__(self, source: LmsSource, *, shared_users: bool):
        self.source = source
        self.shared_users = shared_users
        self._users: dict[int, int | None] = {}
        self._courses: dict[str, int | None] = {}

    def users(self, lms_ids) -> dict[int, int]:
        """``{LMS user id: this app's user id}`` for the ids that name a user here."""
        wanted = {int(user_id) for user_id in lms_ids if user_id is not None}
        missing = [user_id for user_id in wanted if user_id not in self._users]
        if missing:
            if len(self._users) > _MEMORY:
                self._users.clear()
            self._users.update(self._resolve_users(missing))
        return {user_id: self._users[user_id] for user_id in wanted if self._users.get(user_id) is not None}

    def _resolve_users(self, lms_ids: list[int]) -> dict[int, int | None]:
        users = get_user_model().objects
        found: dict[int, int | None] = dict.fromkeys(lms_ids)
        if self.shared_users:
            for user_id in users.filter(pk__in=lms_ids).values_list("pk", flat=True):
                found[user_id] = user_id
            return found
        names = dict(self.source.fetch(
            f"SELECT id, username FROM auth_user WHERE id IN ({self.source.in_clause(lms_ids)})", lms_ids))
        # Compared in Python: MariaDB's collation would match another letter case.
        ours = {name: pk for pk, name in users.filter(username__in=list(names.values())).values_list("pk", "username")}
        for lms_id, username in names.items():
            found[lms_id] = ours.get(username)
        return found

    def user(self, resolved: dict, lms_id) -> int:
        user_id = resolved.get(int(lms_id)) if lms_id is not None else None
        if user_id is None:
            raise Unmappable(f"unknown user {lms_id}")
        return user_id

    def courses(self, raw_keys) -> dict[str, int]:
        """``{course key as the LMS spells it: this app's course id}`` for the courses that exist here."""
        wanted = {str(raw) for raw in raw_keys if raw}
        missing = [raw for raw in wanted if raw not in self._courses]
        if missing:
            if len(self._courses) > _MEMORY:
                self._courses.clear()
            parsed = {}
            for raw in missing:
                self._courses[raw] = None
                try:
                    parsed[course_key(raw)] = raw
                except Unmappable:
                    continue
            for pk, key in Course.objects.filter(course_key__in=list(parsed)).values_list("pk", "course_key"):
                if key in parsed:  # exact spelling: the column may compare case-insensitively
                    self._courses[parsed[key]] = pk
        return {raw: self._courses[raw] for raw in wanted if self._courses.get(raw) is not None}

    def course(self, resolved: dict, raw) -> int:
        course_key(raw)  # an unparseable key is reported as such
        course_id = resolved.get(str(raw))
        if course_id is None:
            raise Unmappable(f"course not adopted or imported: {raw}")
        return course_id

    def forget_course(self, raw: str) -> None:
        """A course the current run created: the next lookup finds it."""
        self._courses.pop(str(raw), None)
