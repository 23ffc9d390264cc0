"""Adopting an Open edX LMS's existing data into the applets (``manage.py adopt_openedx_data``).

``source`` reads the LMS's tables with plain SQL, ``context`` resolves its user ids and course
keys to this app's rows, ``writer`` upserts a mapped batch, the ``tables_*`` modules say how each
LMS table maps, and ``runner`` drives them with checkpoints, a progress line and a report.
"""
