"""An Open edX LMS in miniature: its own views at the LMS's paths, its courseware API as a plugin.

``urls.py`` builds the URLs as ``lms/urls.py`` does (the LMS's routes first, plugin routes
appended by edx-django-utils); ``settings.py`` and ``settings_precedence.py`` apply the
plugins' settings hooks as the LMS's settings do, without and with ``SERVE_BEFORE_HOST_ROUTES``.
"""
