"""Development-only commands of this repository: the demo data, its curl lines, the benchmark data set.

They are not part of the ``openedx_learner_apis`` wheel: a host installs the app, not the
demo. ``example/settings.py`` (``make demo``) and ``test_settings.py`` add this app to
``INSTALLED_APPS``; the commands reach the package only through its public modules and models.
"""
