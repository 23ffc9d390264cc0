"""URLs of the demo host: the plugin's URLs (found by discovery), the admin, the schema, Swagger UI, media, CSRF."""

from csrf.api.v1.views import CsrfTokenView
from django.conf import settings
from django.contrib import admin
from django.urls import path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .plugins import plugin_url_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    # The demo serves its own uploads (profile and badge images), so the URLs the APIs hand out
    # load; a production host serves MEDIA_URL from its web server, object store or CDN.
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    path("api-docs/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api-docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    # edx-drf-extensions' CSRF token endpoint at the LMS's path and name. It is the host's, not
    # one of the app's APIs, so it stays out of the OpenAPI schema (schema=None).
    path("csrf/api/v1/token", CsrfTokenView.as_view(schema=None), name="csrf_token"),
    # The plugins' URLs, as edx-django-utils mounts them (less those that need edx-platform).
    *plugin_url_patterns("lms.djangoapp"),
]
