"""The site's URLs plus /bench/ok: a Django view that returns "ok" through the same
middleware, the most any page on this server could reach."""

from django.http import HttpResponse
from django.urls import path

from cop_platform.urls import urlpatterns as site_urlpatterns


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ok", ok), *site_urlpatterns]
