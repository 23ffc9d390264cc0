"""Django admin for the certificates applet."""

from django.contrib import admin

from .models import Certificate


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["user", "course_key", "status", "mode", "grade", "modified_date"]
    search_fields = ["user__username", "verify_uuid"]
    raw_id_fields = ["user"]
