"""The host's courseware API, mounted as the LMS mounts its own: an ``lms.djangoapp`` plugin."""
