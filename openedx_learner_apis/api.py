"""The public Python API of openedx-learner-apis: what hosts and tests call to feed data in.

It re-exports each applet's ``api.__all__``; anything not listed here is internal.
"""

from .applets.badges.api import *  # noqa: F401,F403
from .applets.badges.api import __all__ as _badges
from .applets.certificates.api import *  # noqa: F401,F403
from .applets.certificates.api import __all__ as _certificates
from .applets.courses.api import *  # noqa: F401,F403
from .applets.courses.api import __all__ as _courses
from .applets.engagement.api import *  # noqa: F401,F403
from .applets.engagement.api import __all__ as _engagement
from .applets.enrollments.api import *  # noqa: F401,F403
from .applets.enrollments.api import __all__ as _enrollments
from .applets.learners.api import *  # noqa: F401,F403
from .applets.learners.api import __all__ as _learners
from .applets.profile_images.api import *  # noqa: F401,F403
from .applets.profile_images.api import __all__ as _profile_images
from .applets.progress.api import *  # noqa: F401,F403
from .applets.progress.api import __all__ as _progress
from .core.keys import InvalidKey
from .core.users import UserNotFound
from .olx.importer import import_olx

__all__ = [*_learners, *_courses, *_enrollments, *_progress, *_engagement, *_certificates, *_badges,
           *_profile_images,
           "import_olx", "UserNotFound", "InvalidKey"]
