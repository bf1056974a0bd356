"""The full-page cache for visitors who are not logged in.

Most readers of the platform are anonymous, and what they see depends only on the
address: the language comes from the path (`/en/` prefix), the pages carry no
per-visitor token (no CSRF form, no cookie). So an anonymous GET is answered from
Django's cache (settings.CACHES["default"]: Redis in production, local memory in
development) for up to PAGE_CACHE_SECONDS, keyed by scheme, host and path.

Invalidation: every key carries a generation number kept in the same cache.
`invalidate_public_pages()` increments it after the current transaction commits,
so every cached page is out of use at once, in every worker, without scanning or
flushing anything (the cache is shared with the rate limits and Channels' Redis
data; wagtail-cache's clear_cache() would FLUSHDB the whole Redis database). The
timeout bounds what no write announces, such as a moderator term that starts today.

What invalidates (receivers connected in home/apps.py): a page published,
unpublished, moved or deleted, and any save or delete of the models whose content
public pages show (PUBLIC_MODELS). Services that change those rows without save()
(bulk_update, QuerySet.update) call invalidate_public_pages() themselves, as the
community lifecycle does for every operation; so must anything new that changes
what a visitor sees.

`shared_page_data()` keeps, in the same generations, the parts of a page that are
the same for every reader, so pages rendered for members skip those queries too.

Only requests without a session or messages cookie are served from the cache or
stored: a logged-in member, or a visitor with a pending message, always gets a
freshly rendered page. A response is stored only if it is a plain 200 that sets
no cookie, is not marked private/no-store, and embeds no CSRF token.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

GENERATION_KEY = "page-cache:generation"
# Only these query parameters may vary a cached page (pagination); an address with
# any other query (a search) is rendered each time, so arbitrary queries cannot
# fill the cache.
CACHEABLE_QUERY_PARAMETERS = {"page"}
# Never cached, whoever asks: the admin, accounts (forms with CSRF tokens), the
# health check and documents (served with their own headers).
UNCACHED_PREFIXES = ("/admin/", "/accounts/", "/en/accounts/", "/healthz", "/documents/")
# Models whose rows appear on public pages, as "app_label.ModelName".
PUBLIC_MODELS = (
    "communities.Membership",
    "communities.Moderatorship",
    "communities.CommunityFormerName",
    "todo_lists.TodoItem",
    "todo_lists.TodoComment",
    "members.User",
    "members.MemberProfile",
    "members.Organisation",
    "members.RoleAssignment",
    # Wagtail's privacy settings: a page made private must stop being served.
    "wagtailcore.PageViewRestriction",
)


def page_cache_seconds() -> int:
    """0 turns the cache off (the test settings do, so tests see fresh pages)."""
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # First use, or evicted: start a generation that no stored page has.
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def _bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (yet, or evicted)
        cache.add(GENERATION_KEY, 2, timeout=None)


def invalidate_public_pages() -> None:
    """Make every anonymous visitor get freshly rendered pages, once the current
    transaction commits (before that, a request could store the old state again)."""
    transaction.on_commit(_bump_generation)


def shared_key(request, name: str) -> str:
    """A cache key that ends with the current generation of the public pages. The
    generation is read once per request (one Redis round trip for every key a
    request uses)."""
    generation = getattr(request, "_page_cache_generation", None)
    if generation is None:
        generation = request._page_cache_generation = _generation()
    return f"page-cache:{generation}:{name}"


def shared_page_data(request, name: str, build):
    """What a page shows every reader alike, visitor or member (a community's
    people block, to-do preview, themes and lineage): built once per generation of
    the public pages and language, then read from the cache by every request that
    renders the page, the members' included.

    The same writes that end the visitors' cached pages end these (the generation),
    so a member sees them exactly as fresh as a visitor does: a committed change
    shows at once, what no write announces within PAGE_CACHE_SECONDS. Only data that
    does not depend on who asks may go in here (`name` identifies it, e.g.
    "community:12"); what depends on the reader (their membership, their rights)
    is computed for each request. `build` returns something picklable; model
    instances must carry what the template reads (select_related/prefetch), or
    rendering them queries again."""
    seconds = page_cache_seconds()
    if seconds <= 0:
        return build()
    key = shared_key(request, f"data:{get_language()}:{name}")
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value


def _is_cacheable_request(request) -> bool:
    if request.method != "GET" or page_cache_seconds() <= 0:
        return False
    if request.path.startswith(UNCACHED_PREFIXES):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return set(request.GET) <= CACHEABLE_QUERY_PARAMETERS


def _is_cacheable_response(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    return b"csrfmiddlewaretoken" not in response.content


def _key(request, generation: int) -> str:
    return (
        f"page-cache:{generation}:{request.scheme}:{request.get_host()}:{request.get_full_path()}"
    )


class AnonymousPageCacheMiddleware:
    """Placed right after SessionMiddleware: a hit skips everything below it
    (locale, CSRF, authentication, the view); the headers those added to the
    stored response (Content-Language, CSP, X-Frame-Options) are stored with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_cacheable_request(request):
            return self.get_response(request)
        key = _key(request, _generation())
        response = cache.get(key)
        if response is not None:
            return response
        response = self.get_response(request)
        if _is_cacheable_response(response):
            cache.set(key, response, page_cache_seconds())
        return response


def _on_page_change(sender, instance=None, **kwargs) -> None:
    invalidate_public_pages()


def _on_page_delete(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page):
        invalidate_public_pages()


def _on_public_row_change(sender, instance, update_fields=None, **kwargs) -> None:
    # A login writes only last_login: nothing a visitor sees.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    invalidate_public_pages()


def connect_invalidation() -> None:
    """Called once from an AppConfig.ready(): the signals that end the cached pages."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(_on_page_change, dispatch_uid="page_cache_published")
    page_unpublished.connect(_on_page_change, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(_on_page_change, dispatch_uid="page_cache_moved")
    post_delete.connect(_on_page_delete, dispatch_uid="page_cache_page_deleted")
    for label in PUBLIC_MODELS:
        model = apps.get_model(label)
        post_save.connect(_on_public_row_change, sender=model, dispatch_uid=f"page_cache_{label}")
        post_delete.connect(
            _on_public_row_change, sender=model, dispatch_uid=f"page_cache_del_{label}"
        )
