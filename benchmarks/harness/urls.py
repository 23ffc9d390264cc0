"""URLs of the bench host: the demo host's, plus the floor endpoint (``benchmarks.harness.floor``)."""

from benchmarks.harness.floor import urlpatterns as floor_urlpatterns
from example.urls import urlpatterns as demo_urlpatterns

urlpatterns = [*floor_urlpatterns, *demo_urlpatterns]
