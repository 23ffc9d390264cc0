"""``manage.py mint_jwt USERNAME [--scope S]... [--filter F]... [--restricted]``: print a JWT for a user."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ...rest_api.common.tokens import jwt_header, mint_jwt


class Command(BaseCommand):
    help = "Mint a JWT for a user with the host's JWT_AUTH settings (for demos and manual testing)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scope", action="append", dest="scopes", default=None,
                            help="A scope, e.g. certificates:read (repeatable).")
        parser.add_argument("--filter", action="append", dest="filters", default=None,
                            help="A filter, e.g. content_org:edX or user:me (repeatable).")
        parser.add_argument("--restricted", action="store_true", help="Mark the token as from a restricted app.")
        parser.add_argument("--expires-in", type=int, default=3600, help="Lifetime in seconds.")
        parser.add_argument("--header", action="store_true", help="Print the whole Authorization header value.")

    def handle(self, username, scopes, filters, restricted, expires_in, header, **options):
        check_jwt_auth()
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        token = mint_jwt(user, scopes=scopes, filters=filters, is_restricted=restricted, expires_in=expires_in)
        self.stdout.write(jwt_header(token) if header else token)


def check_jwt_auth() -> None:
    """A ``CommandError`` naming the missing setting, instead of a traceback from deep in the signer."""
    jwt_auth = getattr(settings, "JWT_AUTH", None)
    if not isinstance(jwt_auth, dict):
        raise CommandError("The JWT_AUTH setting is missing: add it with a JWT_ISSUERS list as in README.md "
                           "(manage.py check shows an example).")
    issuers = jwt_auth.get("JWT_ISSUERS")
    if not issuers or not isinstance(issuers, (list, tuple)) or not isinstance(issuers[0], dict):
        raise CommandError("JWT_AUTH['JWT_ISSUERS'] is missing or empty: add the LMS's issuer "
                           "(ISSUER, AUDIENCE, SECRET_KEY).")
    if not (jwt_auth.get("JWT_PRIVATE_SIGNING_JWK") or issuers[0].get("SECRET_KEY") or jwt_auth.get("JWT_SECRET_KEY")):
        raise CommandError("No signing key: set JWT_AUTH['JWT_ISSUERS'][0]['SECRET_KEY'] "
                           "or JWT_AUTH['JWT_PRIVATE_SIGNING_JWK'].")
