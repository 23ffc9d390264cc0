"""Imports every applet's models so Django registers them under this app."""

from .applets.badges.models import BadgeAssertion, BadgeClass  # noqa: F401
from .applets.certificates.models import Certificate  # noqa: F401
from .applets.courses.models import Block, Course, CourseAccessRole, CourseMode, SubsectionPrerequisite  # noqa: F401
from .applets.engagement.models import (  # noqa: F401
    CourseEnrollmentCelebration,
    CourseGoal,
    LastSeenCoursewareTimezone,
    UserActivity,
    UserCelebration,
)
from .applets.enrollments.models import CourseDurationLimitConfig, Enrollment  # noqa: F401
from .applets.learners.models import LearnerProfile, UserPreference  # noqa: F401
from .applets.mobile.models import IgnoreMobileAvailableFlagConfig, MobileConfig  # noqa: F401
from .applets.progress.models import (  # noqa: F401
    BlockCompletion,
    Bookmark,
    CoursewarePosition,
    PersistentCourseGrade,
    PersistentSubsectionGrade,
)
from .management.adoption.models import AdoptionCheckpoint  # noqa: F401
