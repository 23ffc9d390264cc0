"""Badges API v1: a learner's badge assertions (see ``docs/badges.rst``)."""
