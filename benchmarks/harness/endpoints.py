"""The requests the harness measures, resolved against the generated data (runs inside Django).

A request plan is plain JSON so that the load generator (wrk, outside Django) and the
query counter (Django's test client, inside) send byte-for-byte the same requests.
"""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

# The name of the floor row; every other row is reported as a percentage of it.
FLOOR = "floor"
LOAD_LEARNER_ENROLLMENTS = 10
UPLOAD_POOL = 200
UPLOAD_SIZE = (1024, 768)
TOKEN_LIFETIME = 24 * 3600
# The endpoints measured three ways (see ``cache_rows``) and the suffixes of their rows.
CACHED_ENDPOINTS = ("v4 course_enrollments", "courseware course info", "sequence metadata", "badges list",
                    "certificates list")
HIT, REVALIDATION, COLD = "(cache hit)", "(304)", "(cold)"


@dataclass
class Variant:
    """One concrete request: a path and its headers (each variant is a different user in a pool)."""

    path: str
    headers: dict


@dataclass
class Planned:
    """An endpoint as measured: name, method, variants, and a body shared by every variant.

    ``revalidate``: the request is sent with ``If-None-Match`` naming the ETag of the same
    request fetched once before (by whoever sends it: :func:`with_etag`), and answered ``304``.
    """

    name: str
    method: str
    variants: list[Variant]
    expected: int = 200
    body_file: str = ""
    content_type: str = ""
    tags: list[str] = field(default_factory=list)
    revalidate: bool = False

    def as_json(self) -> dict:
        return asdict(self)


def auth_headers(user) -> dict:
    from openedx_learner_apis.rest_api.common.tokens import jwt_header, mint_jwt

    return {"Authorization": jwt_header(mint_jwt(user, expires_in=TOKEN_LIFETIME))}


def demo_targets(course_key) -> dict:
    """Usage keys of the demo course the requests point at: its first sequence and a unit in it."""
    from openedx_learner_apis.applets.courses.outline import get_outline

    outline = get_outline(course_key)
    sequence = outline.of_type("sequential")[0]
    unit = next(child for child in sequence.children if child.block_type == "vertical")
    return {"sequence": str(sequence.usage_key), "unit": str(unit.usage_key)}


def upload_body(directory: Path) -> tuple[str, str]:
    """A photo-sized JPEG in a multipart body written to ``directory``; ``(path, content type)``."""
    import random

    from PIL import Image, ImageDraw

    rng = random.Random(7)
    image = Image.new("RGB", UPLOAD_SIZE, (200, 180, 160))
    draw = ImageDraw.Draw(image)
    for _ in range(300):
        x, y = rng.randrange(UPLOAD_SIZE[0]), rng.randrange(UPLOAD_SIZE[1])
        draw.ellipse((x, y, x + rng.randrange(10, 120), y + rng.randrange(10, 120)),
                     fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    jpeg = io.BytesIO()
    image.save(jpeg, format="JPEG", quality=85)
    boundary = uuid.UUID(int=rng.getrandbits(128)).hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n"
            f"Content-Type: image/jpeg\r\n\r\n").encode() + jpeg.getvalue() + f"\r\n--{boundary}--\r\n".encode()
    path = directory / "upload.multipart"
    path.write_bytes(body)
    return str(path), f"multipart/form-data; boundary={boundary}"


def cache_rows(label: str, path: str, headers: dict, tags: list[str]) -> list[Planned]:
    """One endpoint's three rows: the repeated read served by the response cache, its ``304``
    revalidation, and the cold read (the response cache off for the request, ``benchmarks.harness.cold``).

    The first request of the hit row (the warm-up) fills the cache; wrk then repeats it.
    """
    from benchmarks.harness.cold import HEADER, OFF

    return [
        Planned(f"{label} {HIT}", "GET", [Variant(path, headers)], tags=[*tags, "cache hit"]),
        Planned(f"{label} {REVALIDATION}", "GET", [Variant(path, headers)], expected=304,
                tags=[*tags, "revalidation"], revalidate=True),
        Planned(f"{label} {COLD}", "GET", [Variant(path, {**headers, HEADER: OFF})], tags=[*tags, "cold"]),
    ]


def with_etag(planned: dict, fetch) -> dict:
    """A revalidation row with ``If-None-Match`` set: ``fetch(path, headers)`` returns the ETag of one GET."""
    if not planned.get("revalidate"):
        return planned
    variants = []
    for variant in planned["variants"]:
        headers = {name: value for name, value in variant["headers"].items() if name != "If-None-Match"}
        etag = fetch(variant["path"], headers)
        if not etag:
            raise RuntimeError(f"{planned['name']}: {variant['path']} answered without an ETag")
        variants.append({**variant, "headers": {**headers, "If-None-Match": etag}})
    return {**planned, "variants": variants}


def load_plan(directory: Path) -> list[Planned]:
    """The endpoints of the load table, for the learner with ``LOAD_LEARNER_ENROLLMENTS`` enrollments.

    The first is the floor (``benchmarks.harness.floor``), the same learner and token as the rest.
    """
    from django.contrib.auth import get_user_model

    from benchmarks.harness.floor import floor_path
    from example.demo_tools.management.commands.generate_scale_data import LEARNER_PREFIX, growth_username
    from openedx_learner_apis.applets.courses.models import Course

    users = get_user_model().objects
    learner = users.get(username=growth_username(LOAD_LEARNER_ENROLLMENTS))
    heavy = users.filter(username__startswith="bench_e").order_by("-id").first()
    name, headers = learner.username, auth_headers(learner)
    demo = Course.objects.exclude(org__startswith="Bench").get().course_key
    targets = demo_targets(demo)
    mobile = f"/api/mobile/{{version}}/users/{name}"

    def get(label: str, path: str, *, user_headers: dict = headers, tags=()) -> Planned:
        return Planned(label, "GET", [Variant(path, user_headers)], tags=list(tags))

    def cached(label: str, path: str, *, tags=()) -> list[Planned]:
        return cache_rows(label, path, headers, list(tags))

    patch_body = directory / "course_status.json"
    patch_body.write_text(json.dumps({"last_visited_module_id": targets["unit"]}))
    upload_file, upload_type = upload_body(directory)
    uploaders = users.filter(username__startswith=LEARNER_PREFIX).order_by("id")[:UPLOAD_POOL]
    return [
        get(FLOOR, floor_path(name), tags=["floor"]),
        *cached("v4 course_enrollments", mobile.format(version="v4") + "/course_enrollments/", tags=["mobile"]),
        get(f"v4 course_enrollments ({heavy.username.removeprefix('bench_e')} enrollments)",
            f"/api/mobile/v4/users/{heavy.username}/course_enrollments/", user_headers=auth_headers(heavy),
            tags=["mobile"]),
        get("v1 course_enrollments", mobile.format(version="v1") + "/course_enrollments/", tags=["mobile"]),
        get("enrollments_status", mobile.format(version="v1") + "/enrollments_status/", tags=["mobile"]),
        get("course_status_info GET", mobile.format(version="v1") + f"/course_status_info/{demo}", tags=["mobile"]),
        Planned("course_status_info PATCH", "PATCH",
                [Variant(mobile.format(version="v1") + f"/course_status_info/{demo}", headers)],
                body_file=str(patch_body), content_type="application/json", tags=["mobile"]),
        *cached("courseware course info", f"/api/courseware/course/{demo}", tags=["courseware"]),
        *cached("sequence metadata", f"/api/courseware/sequence/{targets['sequence']}", tags=["courseware"]),
        *cached("certificates list", f"/api/certificates/v0/certificates/{name}/", tags=["certificates"]),
        *cached("badges list", f"/api/badges/v1/assertions/user/{name}/", tags=["badges"]),
        Planned("profile image upload", "POST",
                [Variant(f"/api/user/v1/accounts/{user.username}/image", auth_headers(user)) for user in uploaders],
                expected=204, body_file=upload_file, content_type=upload_type, tags=["profile_images"]),
    ]


def growth_plan() -> list[dict]:
    """Requests whose cost should not depend on how much data a learner has: one row per (metric, size).

    Each is sent with the response cache off (``benchmarks.harness.cold``): a repeated read would
    otherwise be a cache hit, whose cost says nothing of how the answer's building grows.
    """
    from django.contrib.auth import get_user_model

    from benchmarks.harness.cold import HEADER, OFF
    from example.demo_tools.management.commands.generate_scale_data import UNITS_COURSE, sequence_key
    from openedx_learner_apis.applets.courses.models import Course

    rows = []
    growth_users = get_user_model().objects.filter(username__startswith="bench_e")
    users = sorted(growth_users, key=lambda user: int(user.username.removeprefix("bench_e")))
    for user in users:
        size = int(user.username.removeprefix("bench_e"))
        headers = {**auth_headers(user), HEADER: OFF}
        base = f"/api/mobile/{{version}}/users/{user.username}"
        for label, path in [
            ("v4 course_enrollments", base.format(version="v4") + "/course_enrollments/"),
            ("v4 course_enrollments + course_progress",
             base.format(version="v4") + "/course_enrollments/?requested_fields=course_progress"),
            ("v1 course_enrollments", base.format(version="v1") + "/course_enrollments/"),
            ("enrollments_status", base.format(version="v1") + "/enrollments_status/"),
            ("certificates list", f"/api/certificates/v0/certificates/{user.username}/"),
            ("badges list", f"/api/badges/v1/assertions/user/{user.username}/"),
        ]:
            rows.append({"axis": "enrollments", "size": size, "name": label, "method": "GET", "path": path,
                         "headers": headers, "body": ""})
    units_course = Course.objects.filter(course_key=UNITS_COURSE).first()
    learner = users[-1] if users else None
    if units_course is not None and learner is not None:
        from openedx_learner_apis.applets.courses.outline import get_outline

        headers = {**auth_headers(learner), HEADER: OFF}
        outline = get_outline(units_course.course_key)
        for sequence in outline.of_type("sequential"):
            size = len(sequence.children)
            last_unit = str(sequence.children[-1].usage_key)
            rows.append({"axis": "units", "size": size, "name": "sequence metadata", "method": "GET",
                         "path": f"/api/courseware/sequence/{sequence_key(size)}", "headers": headers, "body": ""})
            rows.append({"axis": "units", "size": size, "name": "course_status_info PATCH", "method": "PATCH",
                         "path": f"/api/mobile/v1/users/{learner.username}/course_status_info/{UNITS_COURSE}",
                         "headers": headers, "body": json.dumps({"last_visited_module_id": last_unit})})
    return rows
