"""REST views of the mobile users API (``api/mobile/{version}/...``)."""
