"""Which of the app's routes a host's routes answer first, and which URL namespaces both declare.

Each family has sample paths, one per route (``FAMILY_SAMPLES``, relative to the family's
prefix); a sample that the root URLconf resolves to a view outside this package is a route
the host shadows. Namespaces are counted as Django's ``urls.W005`` counts them: a full
namespace path declared twice keeps only its first declaration for ``reverse()``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver
from django.urls.exceptions import Resolver404

from ..conf import learner_apis_settings
from ..urls import FAMILY_URLCONFS
from . import APP_URLS
from .merge import includes_app

PACKAGE = "openedx_learner_apis."
SAMPLE_USERNAME = "sample_learner"
SAMPLE_COURSE = "course-v1:SampleOrg+S101+2024"
SAMPLE_BLOCK = "block-v1:SampleOrg+S101+2024+type@sequential+block@sample"

FAMILY_SAMPLES = {
    "profile_images": ("accounts/{user}/image",),
    "profile_images_legacy": ("{user}/upload", "{user}/remove"),
    "accounts": ("accounts", "accounts/{user}", "preferences/{user}"),
    "badges": ("assertions/user/{user}/",),
    "certificates": ("certificates/{user}/courses/{course}/", "certificates/{user}/"),
    "mobile": ("v1/my_user_info", "v1/users/{user}", "v1/users/{user}/course_enrollments/",
               "v1/users/{user}/course_status_info/{course}", "v1/users/{user}/enrollments_status/",
               "v1/course_info/{course}/handouts", "v1/course_info/{course}/updates"),
    "courseware": ("course/{course}", "sequence/{block}", "resume/{course}", "celebration/{course}"),
}


@dataclass(frozen=True)
class Shadow:
    family: str
    path: str
    host_view: str


def sample_paths() -> list[tuple[str, str]]:
    """``(family, path)`` of every route of every enabled family, under its configured prefix."""
    prefixes = learner_apis_settings.raw("URL_PREFIXES")
    return [(family, "/" + prefixes[family] + sample.format(user=SAMPLE_USERNAME, course=SAMPLE_COURSE,
                                                            block=SAMPLE_BLOCK))
            for family, samples in FAMILY_SAMPLES.items() if prefixes.get(family) is not None
            for sample in samples]


def view_path(func) -> str:
    view = getattr(func, "view_class", None) or getattr(func, "cls", None) or func
    return f"{view.__module__}.{getattr(view, '__qualname__', view.__class__.__name__)}"


def mounts_app(patterns) -> bool:
    """Whether the app's URLs are mounted anywhere in ``patterns`` (its root module or a family's)."""
    family_modules = {module for module, _ in FAMILY_URLCONFS.values()} | {APP_URLS}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            urlconf = pattern.urlconf_name
            if includes_app(pattern) or getattr(urlconf, "__name__", None) in family_modules:
                return True
            if mounts_app(pattern.url_patterns):
                return True
    return False


def shadowed_routes(urlconf: str | None = None) -> list[Shadow]:
    """The sample paths the root URLconf answers with a host view; none when the app is not mounted."""
    resolver = get_resolver(urlconf)
    if not mounts_app(resolver.url_patterns):
        return []
    shadows = []
    for family, path in sample_paths():
        try:
            match = resolver.resolve(path)
        except Resolver404:
            continue
        where = view_path(match.func)
        if not where.startswith(PACKAGE):
            shadows.append(Shadow(family, path, where))
    return shadows


def _namespace_paths(patterns, parents=()) -> list[str]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            current = (*parents, pattern.namespace) if pattern.namespace else parents
            if pattern.namespace:
                found.append(":".join(current))
            found.extend(_namespace_paths(pattern.url_patterns, current))
    return found


def duplicate_namespaces(urlconf: str | None = None) -> list[str]:
    """Full namespace paths declared more than once that start with one of the families' namespaces."""
    own = {namespace for _, namespace in FAMILY_URLCONFS.values()}
    counts = Counter(_namespace_paths(get_resolver(urlconf).url_patterns))
    return sorted(name for name, count in counts.items() if count > 1 and name.split(":")[0] in own)
