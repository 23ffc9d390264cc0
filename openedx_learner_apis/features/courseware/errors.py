"""What a courseware use case refuses, as typed exceptions; the REST layer maps each to its status."""

from __future__ import annotations


class CoursewareError(Exception):
    """Base of the courseware refusals; ``str()`` is the message shown to the developer."""


class CourseUnavailable(CoursewareError):
    """No course spelled exactly this key, or the requester may not see it (answered as not found)."""


class BlockUnavailable(CoursewareError):
    """No such block in the course outline, or this viewer may not load it (answered as not found)."""


class NotASequence(CoursewareError):
    """The block exists and is visible but is not a sequence or chapter (answered as unprocessable)."""


class NotEnrolled(CoursewareError):
    """The user has no enrollment in the course (answered as not found)."""


class NoSuchLearner(CoursewareError):
    """Staff named a username that does not exist (answered as not found)."""


class NotAllowedToViewOther(CoursewareError):
    """A requester without global staff rights named another user (answered as forbidden)."""
