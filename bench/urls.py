"""The site's URLs plus two benchmark-only endpoints (bench.settings only, never in
production):

- /bench/ok: a Django view that returns "ok" through the same middleware, the most
  any page on this server could reach;
- /bench/post/<thread id>: the websocket fan-out's poster (bench/fanout.py). It
  replies in the thread through the forum's service as the thread's community's
  first moderator, and answers the new post's id and the moment its transaction
  committed (the stamp every delivery latency is measured from) and the moment its
  on-commit work, the group_send of its events included, was done."""

import time

from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from communities.forum import services
from communities.forum.models import Thread
from communities.models import Moderatorship
from cop_platform.urls import urlpatterns as site_urlpatterns


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_POST
def post(request, thread_id):
    thread = Thread.objects.select_related("community").get(pk=thread_id)
    author = Moderatorship.objects.filter(community=thread.community).order_by("pk").first().user
    committed = {}
    with transaction.atomic():
        # Registered before the service's own on-commit broadcast, so it runs first:
        # the stamp is the commit, before any group_send.
        transaction.on_commit(lambda: committed.setdefault("at", time.time()))
        reply = services.post_create(actor=author, thread=thread, body=request.body.decode())
    # After every on-commit callback: the events are handed to the channel layer.
    return JsonResponse({"post_id": reply.pk, "committed": committed["at"], "sent": time.time()})


urlpatterns = [
    path("bench/ok", ok),
    path("bench/post/<int:thread_id>", post),
    *site_urlpatterns,
]
