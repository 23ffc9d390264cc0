"""Base view wiring each family to its configured authentication and permissions.

Views declare both lists as class attributes, as DRF and the Open edX LMS expect::

    class MobileView(FamilyAPIView):
        family = "mobile"
        authentication_classes = family_authentication()
        permission_classes = family_permissions(IsAuthenticated, IsOwner)

The attributes are read from settings each time they are read (not once at import), so
``OPENEDX_LEARNER_APIS["AUTHENTICATION_CLASSES"]`` and ``["PERMISSION_CLASSES"]`` keep
overriding them, ``override_settings`` works in tests, and code that inspects
``View.permission_classes`` sees what a request will use: the LMS's
``EnsureJWTAuthSettingsMiddleware`` reads them on the class and appends
``NotJwtRestrictedApplication`` where it is missing.

Every family but certificates starts its permissions with
``RestrictedApplicationsInScope``: restricted OAuth applications are refused unless the
host granted the family to them (``RESTRICTED_APPLICATION_SCOPES``). Certificates have
their own rules for them (scopes and filters, as Open edX).
"""

from __future__ import annotations

from collections.abc import Sequence

from crum import get_current_request, set_current_request
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.views import APIView

from ...conf import learner_apis_settings
from .permissions import RestrictedApplicationsInScope
from .throttling import FamilyWriteThrottle


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body exceeds the server's limits."
    default_code = "request_too_large"


class ConfiguredClasses(Sequence):
    """A list of classes resolved from settings whenever it is read.

    ``extra`` holds classes appended to it (``View.permission_classes += (X,)``, which is
    what ``EnsureJWTAuthSettingsMiddleware`` does); appending returns a new list, so a
    parent view's list is never changed through a subclass.
    """

    def __init__(self, family: str, extra: tuple = ()):
        self.family = family
        self.extra = tuple(extra)

    def configured(self) -> list:
        raise NotImplementedError

    def resolve(self) -> list:
        return [*self.configured(), *self.extra]

    def __getitem__(self, index):
        return self.resolve()[index]

    def __len__(self):
        return len(self.resolve())

    def __iter__(self):
        return iter(self.resolve())

    def __add__(self, other):
        return self._with_extra(tuple(other))

    __iadd__ = __add__

    def __radd__(self, other):
        return [*other, *self.resolve()]

    def __eq__(self, other):
        return isinstance(other, (list, tuple, ConfiguredClasses)) and list(self) == list(other)

    __hash__ = None

    def __repr__(self):
        return f"{type(self).__name__}({self.family!r}: {self.resolve()!r})"

    def _with_extra(self, classes: tuple):
        raise NotImplementedError


class AuthenticationClasses(ConfiguredClasses):
    """``AUTHENTICATION_CLASSES[family]``, else ``AUTHENTICATION_CLASSES["default"]``."""

    def configured(self) -> list:
        return learner_apis_settings.authentication_classes(self.family)

    def _with_extra(self, classes):
        return AuthenticationClasses(self.family, self.extra + classes)


class PermissionClasses(ConfiguredClasses):
    """The restricted-application gate, then ``PERMISSION_CLASSES[family]`` or the family's own list."""

    def __init__(self, family: str, defaults, *, restricted_gate: bool = True, extra: tuple = ()):
        super().__init__(family, extra)
        self.defaults = list(defaults)
        self.restricted_gate = restricted_gate

    def configured(self) -> list:
        classes = learner_apis_settings.permission_classes(self.family, self.defaults)
        return [RestrictedApplicationsInScope, *classes] if self.restricted_gate else classes

    def _with_extra(self, classes):
        return PermissionClasses(self.family, self.defaults, restricted_gate=self.restricted_gate,
                                 extra=self.extra + classes)


class family_authentication:  # noqa: N801  (used like a function in class bodies)
    """Class attribute: the authentication classes of the view's ``family``, read from settings."""

    def __get__(self, instance, owner):
        return AuthenticationClasses(owner.family)


class family_permissions:  # noqa: N801  (used like a function in class bodies)
    """Class attribute: the view's ``family`` permissions, ``defaults`` unless the host overrides them.

    ``restricted_gate=False`` is for a family with its own rules for restricted applications.
    """

    def __init__(self, *defaults, restricted_gate: bool = True):
        self.defaults = defaults
        self.restricted_gate = restricted_gate

    def __get__(self, instance, owner):
        return PermissionClasses(owner.family, self.defaults, restricted_gate=self.restricted_gate)


class FamilyViewMixin:
    """A view of one API family (``family``: a key of ``URL_PREFIXES``).

    A view that still assigns a plain list to ``permission_classes`` gets it treated as
    the family's default list (host override and restricted-application gate included).
    """

    family: str = ""
    authentication_classes = family_authentication()
    permission_classes = family_permissions()

    @staticmethod
    def translate_exception(exc: Exception) -> Exception:
        """The family's one error handler: a typed exception of the layers below -> an API exception.

        Each family sets it to the function of its ``errors`` module, which answers in that
        family's documented shape; exceptions it does not know are returned unchanged.
        """
        return exc

    def dispatch(self, request, *args, **kwargs):
        """Serve with ``request`` as crum's current request, which edx-toggles' flags are evaluated for.

        Open edX hosts set it in a middleware; a host without it gets it here, and the previous
        value comes back afterwards, so nothing after the view sees this request.
        """
        previous = get_current_request()
        set_current_request(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            set_current_request(previous)

    def get_authenticators(self):
        classes = self.authentication_classes
        if not isinstance(classes, AuthenticationClasses):
            classes = AuthenticationClasses(self.family)
        return [cls() for cls in classes]

    def get_permissions(self):
        classes = self.permission_classes
        if not isinstance(classes, PermissionClasses):
            classes = PermissionClasses(self.family, classes)
        return [cls() for cls in classes]

    def get_throttles(self):
        """The host's throttles (``REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]``), then the family's write limit."""
        return [*super().get_throttles(), FamilyWriteThrottle()]

    def handle_exception(self, exc):
        exc = self.translate_exception(exc)
        # Django's request-size guards fire while DRF reads the body or the query string. They
        # are client errors: answer them in the family's shape, not with the host's HTML 400.
        if isinstance(exc, RequestDataTooBig):
            exc = RequestTooLarge(str(exc))
        elif isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
            exc = ParseError(str(exc))
        return super().handle_exception(exc)


class FamilyAPIView(FamilyViewMixin, APIView):
    """An ``APIView`` of one family."""
