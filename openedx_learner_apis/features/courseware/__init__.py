"""Courseware use cases for the learning MFE: course info, sequence metadata, resume point, celebrations.

The rules are described in ``docs/courseware.rst``.
"""
