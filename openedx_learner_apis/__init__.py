"""Learner REST APIs (profile images, badges, certificates, mobile, courseware) for Open edX-style hosts."""

__version__ = "0.2.0"
