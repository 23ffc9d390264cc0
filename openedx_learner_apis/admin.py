"""Registers every applet's admin (Django autodiscovers this module)."""

from .applets.badges import admin as _badges_admin  # noqa: F401
from .applets.certificates import admin as _certificates_admin  # noqa: F401
from .applets.courses import admin as _courses_admin  # noqa: F401
from .applets.engagement import admin as _engagement_admin  # noqa: F401
from .applets.enrollments import admin as _enrollments_admin  # noqa: F401
from .applets.learners import admin as _learners_admin  # noqa: F401
from .applets.mobile import admin as _mobile_admin  # noqa: F401
from .applets.progress import admin as _progress_admin  # noqa: F401
