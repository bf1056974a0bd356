"""Wagtail's page routing, remembered between requests.

Wagtail finds the page for an address by looking up the site and then walking the
tree from the site's root page, two queries per level (the child by its slug, then
its specific row): six queries before a community's page or forum thread runs its
view. The answer changes only when pages are published, unpublished, moved or
deleted, and each of those ends the public pages' cache generation
(cop_platform/page_cache.py). So the answer (which page, and how many components of
the path lead to it) is kept in that generation, and a request loads just that
page (one query), for members as well as visitors.

Only the address → page step is remembered; everything that decides access still
runs on every request: the page's own `route()` (is it live, which of its routes
the rest of the path names), Wagtail's before_serve_page hooks (view
restrictions), and the views' permission checks.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from wagtail.models import Page, Site
from wagtail.views import serve as wagtail_serve

from cop_platform.page_cache import page_cache_seconds, shared_key


def serve(request, path):
    """Wagtail's serve view (same URL pattern and name), with the route primed."""
    if page_cache_seconds() > 0:
        _route(request, path)
    return wagtail_serve(request, path)


def _route(request, path: str) -> None:
    """Set the route Wagtail would find, through `request._wagtail_route_for_request`
    (where Page.route_for_request keeps its result, as its docstring says)."""
    key = shared_key(request, f"route:{request.get_host()}:{path}")
    components = [component for component in path.split("/") if component]
    known = cache.get(key)
    if known is not None:
        content_type_id, page_id, depth = known
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = model.objects.filter(pk=page_id).first() if model else None
        if page is not None:
            # Raises Http404 as Wagtail's walk would (not live, no such route).
            request._wagtail_route_for_request = page.route(request, components[depth:])
            return
    route = Page.route_for_request(request, path)
    if route is not None:
        page = route[0]
        root = Site.find_for_request(request).root_page
        cache.set(
            key,
            (page.content_type_id, page.pk, page.depth - root.depth),
            page_cache_seconds(),
        )
