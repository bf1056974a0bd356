"""Routes under a community page, registered by the app that serves them.

A community page serves the features of several apps below its URL
(/communities/<slug>/forum/, /te-doen/, /leden/ ...). Each app registers its
own routes from its AppConfig.ready():

    register_routes(
        community_route("te-doen/", todo_list, name="todo_list"),
        ...
    )

so that communities.models imports no feature app's views (it used to, and
that made one long import cycle of the whole project). `CommunityPage`
appends the registered routes to its own (see `CommunityPage.get_subpage_urls`);
`page.subpage_url(name, *args)` and `page.reverse_subpage(name)` find them by
name as before.

Register only from ready(): Wagtail builds the page's URL resolver once, on
the first request, from the routes registered by then.
"""

from collections.abc import Callable

from django.urls import URLPattern
from django.urls import path as path_func

_ROUTES: dict[str, URLPattern] = {}
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def community_route(pattern: str, view: Callable, name: str, *, writes: bool = False) -> URLPattern:
    """A route below a community page, handled by `view(request, community, **url_kwargs)`.

    Wagtail calls a route as a method of the page (page, request, **kwargs);
    the adapter hands the page to the view as its second argument, the shape
    every community view has.

    An archived (merged, dissolved) community is read-only: every POST below
    it, and every request to a route that only writes (`writes=True`: forms
    to apply, post, propose...), is answered with the archive notice and a
    link to where the community went on, and changes nothing.
    """

    def route(page, request, *args, **kwargs):
        if not page.is_active and (writes or request.method not in SAFE_METHODS):
            from communities.views.archive import archive_refusal

            return archive_refusal(request, page)
        return view(request, page, *args, **kwargs)

    route.__name__ = getattr(view, "__name__", name)
    route.__qualname__ = route.__name__
    route.__module__ = getattr(view, "__module__", __name__)
    return path_func(pattern, route, name=name)


def register_routes(*routes: URLPattern) -> None:
    """Add routes (replacing one of the same name, so a repeated ready() is harmless)."""
    for route in routes:
        _ROUTES[route.name] = route


def registered_routes() -> tuple[URLPattern, ...]:
    """In registration order: the order in which they are tried."""
    return tuple(_ROUTES.values())
