"""The mobile use cases: which enrollments the apps list and how a page of them is loaded, mobile access,
the course status, configs and recent activity. No HTTP objects: views pass the values a rule needs."""
