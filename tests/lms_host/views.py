"""The host's stand-in views: each answers JSON naming the host and its route."""

from django.http import JsonResponse

HOST = "lms_host"


def host_view(route: str):
    def view(request, *args, **kwargs):
        return JsonResponse({"served_by": HOST, "route": route, "kwargs": kwargs})

    view.__name__ = view.__qualname__ = route.replace("-", "_")
    return view


def handler404(request, exception=None):
    return JsonResponse({"served_by": HOST, "route": "handler404"}, status=404)
