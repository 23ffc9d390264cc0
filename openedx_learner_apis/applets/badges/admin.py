"""Django admin for the badges applet."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from .api import read_badge_image
from .models import BadgeAssertion, BadgeClass


class BadgeClassForm(forms.ModelForm):
    """Applies the rules of ``create_badge_class`` to edits made in the admin."""

    class Meta:
        model = BadgeClass
        fields = ["slug", "issuing_component", "display_name", "course_key", "description", "criteria", "mode",
                  "image"]

    def clean_slug(self):
        return self.cleaned_data["slug"].lower()

    def clean_issuing_component(self):
        return (self.cleaned_data.get("issuing_component") or "").lower()

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            try:
                read_badge_image(image)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["image"]) from None
            image.seek(0)
        return image


@admin.register(BadgeClass)
class BadgeClassAdmin(admin.ModelAdmin):
    form = BadgeClassForm
    list_display = ["slug", "issuing_component", "course_key", "display_name"]
    search_fields = ["slug", "display_name"]


@admin.register(BadgeAssertion)
class BadgeAssertionAdmin(admin.ModelAdmin):
    list_display = ["user", "badge_class", "created"]
    list_select_related = ["user", "badge_class"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
