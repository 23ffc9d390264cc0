"""Badges API v1: a learner's badge assertions (seed 001, spec/badges.md)."""
