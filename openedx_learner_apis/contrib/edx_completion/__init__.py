"""Following edx-completion's ``BlockCompletion`` writes into the progress applet.

Imported only when the ``completion`` app is installed (``apps.py`` checks first); the rest
of the app never imports it.
"""
