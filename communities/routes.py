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


def community_route(pattern: str, view: Callable, name: str) -> URLPattern:
    """A route below a community page, handled by `view(request, community, **url_kwargs)`.

    Wagtail calls a route as a method of the page (page, request, **kwargs);
    the adapter hands the page to the view as its second argument, the shape
    every community view has.
    """

    def route(page, request, *args, **kwargs):
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
