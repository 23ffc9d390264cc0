"""The courseware REST API (``api/courseware/``, namespace ``courseware_api``) used by the learning MFE."""
