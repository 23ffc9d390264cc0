"""The django-waffle flags and switches that change API output (docs/courseware.rst, "Waffle toggles").

They are edx-toggles' ``WaffleFlag`` and ``WaffleSwitch``, declared with their Open edX names and
annotations, so an operator who already turned one on in the LMS admin keeps it on and Open
edX's toggle reports list them. There are no per-course overrides (Open edX's
CourseWaffleFlag). A flag is evaluated for the current request (crum's: the family views set
it, see ``rest_api/common/views.py``), as waffle does it (everyone, staff, users, groups,
percent...), and its answer is kept for the rest of that request. Without a request (a
management command, a function called directly) only the flag's ``everyone`` setting counts;
a flag with no row is off.
"""

from __future__ import annotations

from edx_toggles.toggles import WaffleFlag, WaffleSwitch

__all__ = [
    "COURSE_EXIT_PAGE", "ENABLE_ABOUT_SIDEBAR_HTML", "ENABLE_ANONYMOUS_COURSEWARE_ACCESS", "ENABLE_COURSE_GOALS",
    "ENABLE_DISCOUNTING", "ENABLE_PROGRESS_MILESTONES", "ENABLE_STREAK_CELEBRATION", "ENABLE_STREAK_DISCOUNT",
    "WaffleFlag", "WaffleSwitch",
]

# .. toggle_name: courseware.mfe_progress_milestones
# .. toggle_implementation: WaffleFlag
# .. toggle_default: False
# .. toggle_description: New enrollments get a celebration row (first section, weekly goal);
#   also one of the two flags that turn on streak celebrations.
# .. toggle_use_cases: opt_in
# .. toggle_creation_date: 2020-08-01
ENABLE_PROGRESS_MILESTONES = WaffleFlag("courseware.mfe_progress_milestones", __name__)

# .. toggle_name: courseware.mfe_progress_milestones_streak_celebration
# .. toggle_implementation: WaffleFlag
# .. toggle_default: False
# .. toggle_description: Track day streaks and celebrate a 3-day streak (needs
#   ``courseware.mfe_progress_milestones`` too). The course endpoint then writes the streak.
# .. toggle_use_cases: opt_in
# .. toggle_creation_date: 2020-11-01
ENABLE_STREAK_CELEBRATION = WaffleFlag("courseware.mfe_progress_milestones_streak_celebration", __name__)

# .. toggle_name: courseware.streak_discount_enabled
# .. toggle_implementation: WaffleFlag
# .. toggle_default: False
# .. toggle_description: Offer an upgrade discount with a streak celebration
#   (``celebrations.streak_discount_enabled``).
# .. toggle_use_cases: opt_in
# .. toggle_creation_date: 2021-03-01
ENABLE_STREAK_DISCOUNT = WaffleFlag("courseware.streak_discount_enabled", __name__)

# .. toggle_name: courseware.microfrontend_course_exit_page
# .. toggle_implementation: WaffleFlag
# .. toggle_default: False
# .. toggle_description: Tells the learning MFE to show its course exit page
#   (``course_exit_page_is_active``).
# .. toggle_use_cases: opt_in
# .. toggle_creation_date: 2020-10-01
COURSE_EXIT_PAGE = WaffleFlag("courseware.microfrontend_course_exit_page", __name__)

# .. toggle_name: course_experience.enable_course_goals
# .. toggle_implementation: WaffleFlag
# .. toggle_default: False
# .. toggle_description: Weekly learning goals: ``course_goals`` in course info, and the
#   daily activity record the course endpoint writes.
# .. toggle_use_cases: opt_in
# .. toggle_creation_date: 2021-07-01
ENABLE_COURSE_GOALS = WaffleFlag("course_experience.enable_course_goals", __name__)

# .. toggle_name: course_experience.enable_about_sidebar_html
# .. toggle_implementation: WaffleSwitch
# .. toggle_default: False
# .. toggle_description: Return the course's sanitized ``about_sidebar_html``; null when off.
# .. toggle_use_cases: opt_in
# .. toggle_creation_date: 2019-03-01
ENABLE_ABOUT_SIDEBAR_HTML = WaffleSwitch("course_experience.enable_about_sidebar_html", __name__)

# .. toggle_name: seo.enable_anonymous_courseware_access
# .. toggle_implementation: WaffleFlag
# .. toggle_default: False
# .. toggle_description: Lets anonymous visitors read the sequences of courses whose
#   ``course_visibility`` is ``public`` or ``public_outline`` (``allow_anonymous``).
# .. toggle_use_cases: opt_in
# .. toggle_creation_date: 2019-08-01
ENABLE_ANONYMOUS_COURSEWARE_ACCESS = WaffleFlag("seo.enable_anonymous_courseware_access", __name__)

# .. toggle_name: discounts.enable_discounting
# .. toggle_implementation: WaffleFlag
# .. toggle_default: False
# .. toggle_description: First-purchase discounts; the ``offer`` field asks the hooks for an
#   offer only when this is on.
# .. toggle_use_cases: opt_in
# .. toggle_creation_date: 2019-09-01
ENABLE_DISCOUNTING = WaffleFlag("discounts.enable_discounting", __name__)
