"""An entry is served only while its check (the tokens and toggles read before it was built) is what a read reads.

Entries are keyed by the request alone, so after a write the old entry is still in the
cache under the same key: each test below would serve a stale body if the check were not
compared, or were computed from the tokens at store time instead of before the build.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from waffle.models import Flag

from openedx_learner_apis import toggles
from openedx_learner_apis.api import upsert_course
from openedx_learner_apis.core.versions import SHARED, shared_tokens
from openedx_learner_apis.rest_api.common.conditional import ConditionalGetMixin
from tests.course_builders import TOY_KEY

from .conftest import read, read_uncached

pytestmark = pytest.mark.django_db

ENROLLMENTS = "/api/mobile/v4/users/learner/course_enrollments/"
COURSE_INFO = f"/api/courseware/course/{TOY_KEY}"


@pytest.fixture
def client(world, learner, jwt_client):
    return jwt_client(learner)


@pytest.fixture
def stored(monkeypatch):
    """``keys``: the keys of the entries filed from now on, in order; ``before_filing``: actions run
    just before each is filed (after the answer was built)."""
    recorded = SimpleNamespace(keys=[], before_filing=[])
    real_store = ConditionalGetMixin._store

    def store(view, request, response):
        if view._pending_version is not None:
            recorded.keys.append(view._pending_version[0].key)
            for action in recorded.before_filing:
                action()
        real_store(view, request, response)

    monkeypatch.setattr(ConditionalGetMixin, "_store", store)
    return recorded


def built(client, url) -> bool:
    """Whether this read built its answer (more than the authentication's queries)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries) > 2


def test_an_entry_filed_under_old_tokens_is_not_served_after_a_write(client, stored):
    read(client, ENROLLMENTS)
    old = read(client, ENROLLMENTS)
    key = stored.keys[-1]
    upsert_course(TOY_KEY, display_name="Renamed after the entry")
    assert cache.get(key)["body"] == old[2]  # the old entry is still there, under the same key
    status, _, body = read(client, ENROLLMENTS)
    assert b"Renamed after the entry" in body
    assert (status, body) == read_uncached(client, ENROLLMENTS)


@pytest.mark.parametrize("url", [ENROLLMENTS, COURSE_INFO])
def test_an_answer_built_across_a_write_is_never_served(client, stored, url):
    """Tokens read before a write, the answer stored after it: its check is the old tokens', no read accepts it."""
    read(client, url)
    read(client, url)
    shared_tokens.invalidate([SHARED])  # the next read builds
    stored.before_filing.append(lambda: upsert_course(TOY_KEY, display_name="Renamed while building"))
    during = read(client, url)
    stored.before_filing.clear()
    assert b"Renamed while building" not in during[2]  # built from the rows before the write
    assert cache.get(stored.keys[-1])["body"] == during[2]  # and filed after it
    status, _, body = read(client, url)
    assert b"Renamed while building" in body
    assert (status, body) == read_uncached(client, url)


def test_a_toggle_flip_makes_the_next_read_rebuild(client, django_capture_on_commit_callbacks):
    """Waffle empties its cache of a toggle when the toggle's row is saved (on commit); no token changes."""
    url = f"{COURSE_INFO}?requested_fields=course_exit_page_is_active"
    read(client, url)
    assert read(client, url)[2] == b'{"course_exit_page_is_active":false}'
    with django_capture_on_commit_callbacks(execute=True):
        flag = Flag.objects.create(name=toggles.COURSE_EXIT_PAGE.name, everyone=True)
    assert read(client, url)[2] == b'{"course_exit_page_is_active":true}'
    assert read(client, url)[2] == b'{"course_exit_page_is_active":true}'
    flag.everyone = False
    with django_capture_on_commit_callbacks(execute=True):
        flag.save()
    assert read(client, url)[2] == b'{"course_exit_page_is_active":false}'


def test_an_entry_read_with_a_missing_token_is_not_served(client):
    """A token evicted from the cache is created anew: that read rebuilds, the next one is a hit again."""
    read(client, ENROLLMENTS)
    assert not built(client, ENROLLMENTS)
    cache.delete(shared_tokens.generation_key(SHARED))
    assert built(client, ENROLLMENTS)
    assert not built(client, ENROLLMENTS)
