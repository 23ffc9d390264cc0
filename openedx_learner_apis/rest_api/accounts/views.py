"""``accounts/{username}``, ``accounts?username=a,b`` and ``preferences/{username}``.

Reading needs an authenticated requester: the owner and staff see the whole account, others
what the learner shares. Only the owner updates, with ``application/merge-patch+json``;
a refused update changes nothing and answers ``{"field_errors": ...}``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ...applets.learners.api import find_users, get_preferences, update_account, update_preferences
from ...applets.learners.visibility import visibility_preferences_of
from ...core.users import is_same_username
from ..common import endpoint_versions
from ..common.conditional import ConditionalGetMixin, versioned_get
from ..common.errors import DeveloperError, DeveloperErrorViewMixin
from ..common.views import FamilyAPIView, family_permissions
from .errors import translate_accounts_exception
from .parsers import MergePatchParser
from .serializers import (
    AccountErrorSerializer,
    AccountSerializer,
    AccountUpdateSerializer,
    FieldErrorsSerializer,
    PreferencesSerializer,
    PreferencesUpdateSerializer,
    account_data,
)

# The list form answers for at most this many usernames.
MAX_LIST_USERNAMES = 100

USERNAME_PARAMETER = OpenApiParameter("username", OpenApiTypes.STR, OpenApiParameter.PATH,
                                      description="The account (case-insensitive).")
VIEW_PARAMETER = OpenApiParameter("view", OpenApiTypes.STR, description=(
    "`shared`: answer with only the fields other users see, even to the owner and staff; other values are "
    "ignored."))
# A refused update names its fields; a body that cannot be read at all gets the developer-error shape.
UPDATE_ERROR = PolymorphicProxySerializer(component_name="AccountUpdateError", resource_type_field_name=None,
                                          serializers=[FieldErrorsSerializer, AccountErrorSerializer])


THROTTLED = ("More account and preference updates by this user than THROTTLE_RATES['accounts'] allows; the "
             "Retry-After header says in how many seconds to try again.")


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(AccountErrorSerializer, description=description)


def _merge_patch_object(request) -> dict:
    """The parsed merge patch, which must be a JSON object."""
    if not isinstance(request.data, dict):
        raise DeveloperError(status.HTTP_400_BAD_REQUEST, "The request body must be a JSON object.",
                             _("The changes could not be read."))
    return request.data


class AccountsBaseView(DeveloperErrorViewMixin, FamilyAPIView):
    """What the account routes share: the family, authentication required, merge-patch bodies."""

    family = "accounts"
    permission_classes = family_permissions(IsAuthenticated)
    parser_classes = [MergePatchParser]
    translate_exception = staticmethod(translate_accounts_exception)

    def has_full_access(self, user) -> bool:
        requester = self.request.user
        return requester.pk == user.pk or requester.is_staff

    def represent(self, users, *, shared_only: bool = False) -> list[dict]:
        preferences = visibility_preferences_of(users)
        return [account_data(user, request=self.request, preferences=preferences[user.pk],
                             full=not shared_only and self.has_full_access(user)) for user in users]

    def wants_shared_view(self) -> bool:
        return self.request.query_params.get("view") == "shared"


class AccountDetailView(ConditionalGetMixin, AccountsBaseView):
    """``GET`` and ``PATCH /api/user/v1/accounts/{username}``."""

    @extend_schema(tags=["accounts"], operation_id="accounts_read", parameters=[USERNAME_PARAMETER, VIEW_PARAMETER],
                   summary="A learner's account", responses={
                       200: AccountSerializer,
                       401: _error("Not authenticated."),
                       404: _error("No such account."),
                   })
    @versioned_get(endpoint_versions.account)
    def get(self, request, username):
        users = find_users([username])
        if not users:
            raise NotFound()
        return Response(self.represent(users, shared_only=self.wants_shared_view())[0])

    @extend_schema(tags=["accounts"], operation_id="accounts_update", parameters=[USERNAME_PARAMETER],
                   summary="Update one's own account",
                   request={"application/merge-patch+json": AccountUpdateSerializer},
                   responses={
                       200: OpenApiResponse(AccountSerializer, description="The whole account after the update."),
                       400: OpenApiResponse(UPDATE_ERROR, description=(
                           "An unknown, read-only or invalid field (every one is named in `field_errors`), or a "
                           "body that is not a JSON object; nothing was written.")),
                       401: _error("Not authenticated."),
                       403: _error("Another user's account (staff included)."),
                       404: _error("A username the URL pattern does not accept."),
                       415: _error("A Content-Type other than application/merge-patch+json."),
                       429: _error(THROTTLED),
                   })
    def patch(self, request, username):
        if not is_same_username(request.user, username):
            raise PermissionDenied()
        update_account(request.user, _merge_patch_object(request))
        return Response(self.represent(find_users([request.user.username]))[0])


class AccountListView(AccountsBaseView):
    """``GET /api/user/v1/accounts?username=a,b``: several accounts, each as the detail route shows it."""

    @extend_schema(tags=["accounts"], operation_id="accounts_list", summary="Several accounts", parameters=[
        OpenApiParameter("username", {"type": "string", "pattern": "[^,]"}, required=True, description=(
            f"Comma-separated usernames (at most {MAX_LIST_USERNAMES}); names of no account are left out.")),
        VIEW_PARAMETER,
    ], responses={
        200: AccountSerializer(many=True),
        400: _error(f"No username, or more than {MAX_LIST_USERNAMES}."),
        401: _error("Not authenticated."),
        404: _error("None of the usernames names an account."),
    })
    def get(self, request):
        names = [name for name in request.query_params.get("username", "").split(",") if name]
        if not names:
            raise DeveloperError(status.HTTP_400_BAD_REQUEST, "Give ?username=<name>[,<name>...].",
                                 _("No account was asked for."))
        if len(set(names)) > MAX_LIST_USERNAMES:
            raise DeveloperError(status.HTTP_400_BAD_REQUEST,
                                 f"At most {MAX_LIST_USERNAMES} usernames may be asked for at once.",
                                 _("Too many accounts were asked for."))
        users = find_users(names)
        if not users:
            raise NotFound()
        return Response(self.represent(users, shared_only=self.wants_shared_view()))


class PreferencesView(AccountsBaseView):
    """``GET`` (owner and staff) and ``PATCH`` (owner) ``/api/user/v1/preferences/{username}``."""

    def target(self, username):
        """The account named; 404 when there is none, 403 when the requester may not act on it."""
        if is_same_username(self.request.user, username):
            return self.request.user
        users = find_users([username])
        if not users:
            raise NotFound()
        if self.request.method != "GET" or not self.request.user.is_staff:
            raise PermissionDenied()
        return users[0]

    @extend_schema(tags=["accounts"], operation_id="preferences_read", parameters=[USERNAME_PARAMETER],
                   summary="A learner's preferences", responses={
                       200: PreferencesSerializer,
                       401: _error("Not authenticated."),
                       403: _error("Another learner's preferences (staff may read them)."),
                       404: _error("No such account."),
                   })
    def get(self, request, username):
        return Response(get_preferences(self.target(username)))

    @extend_schema(tags=["accounts"], operation_id="preferences_update", parameters=[USERNAME_PARAMETER],
                   summary="Update one's own preferences",
                   request={"application/merge-patch+json": PreferencesUpdateSerializer}, responses={
                       204: OpenApiResponse(description="Stored; keys set to null are deleted. An empty object "
                                                        "changes nothing."),
                       400: OpenApiResponse(UPDATE_ERROR, description=(
                           "A key this server does not store, or a value it does not accept (every one is "
                           "named in `field_errors`), or a body that is not a JSON object. Nothing was "
                           "written.")),
                       401: _error("Not authenticated."),
                       403: _error("Another user's preferences (staff included)."),
                       404: _error("No such account."),
                       415: _error("A Content-Type other than application/merge-patch+json."),
                       429: _error(THROTTLED),
                   })
    def patch(self, request, username):
        user = self.target(username)
        update_preferences(user, _merge_patch_object(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
