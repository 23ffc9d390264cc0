"""The learner data, one applet per topic: its models, its public ``api.py``, its admin and its pure rules.

Applets form layers; an applet imports only applets of a lower tier (and ``core``), never one
of its own tier or above, so there is no import cycle between them:

1. learners, courses
2. enrollments, progress, certificates, badges, profile_images
3. engagement
4. mobile

A lower applet that must let a higher one react (an enrollment is created, engagement
creates its celebration) sends a signal of its own (``enrollments.signals``) instead of
importing it. ``tests/applets/test_layering.py`` checks this order.
"""
