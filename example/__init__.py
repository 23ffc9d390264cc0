"""A demo host project: enables openedx-learner-apis through Open edX plugin discovery."""
