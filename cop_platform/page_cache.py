"""The full-page cache: shared pages for visitors, private pages for members.

Most readers of the platform are anonymous, and what they see depends only on the
address: the language comes from the path (`/en/` prefix), the pages carry no
per-visitor token (no CSRF form, no cookie). So an anonymous GET is answered from
Django's cache (settings.CACHES["default"]: Redis in production, local memory in
development) for up to PAGE_CACHE_SECONDS, keyed by scheme, host and path.

A logged-in member's GET is answered from the same cache, but only with a page
rendered earlier for the same session: the key carries a hash of the session key
and of the CSRF cookie (the page embeds a token derived from it), so nothing
rendered for one person is ever served to another, nor to the same person after
logging out (logout flushes the session: a new key). A hit reads the session (the
cached_db engine: a Redis read) to see that someone is logged in and has no pending
message; it loads no user and makes no query. Those responses carry
`Cache-Control: private`, so no shared cache between us and the reader keeps them.
A request with `Cache-Control: no-cache` (a browser's hard reload) is rendered
fresh, and may then be stored.

Invalidation: every key carries generation numbers kept in the same cache, read in
one round trip. Incrementing one ends every page stored under it at once, in every
worker, without scanning or flushing anything (the cache is shared with the rate
limits and Channels' Redis data; wagtail-cache's clear_cache() would FLUSHDB the
whole Redis database). Each is incremented after the current transaction commits
(before that, a request could store the old state again). The timeout bounds what
no write announces, such as a moderator term that starts today.

- The public pages' generation (`invalidate_public_pages()`), in every key, the
  members' too: a page published, unpublished, moved or deleted, and any save or
  delete of the models whose content public pages show (PUBLIC_MODELS).
- The members' generation (`invalidate_member_pages()`), in the members' keys only:
  any save or delete of every model of our own apps (MEMBER_APPS) and of
  MEMBER_MODELS_ELSEWHERE, and any change of their many-to-many relations. Coarse
  on purpose: readers far outnumber writes, and it is never wrong. A password
  change, deactivation or deletion saves or deletes the user row, so a member's
  stored page never outlives their access. Not announced: a login's `last_login`.
- The reader's own generation (`invalidate_reader_pages(user_id)`), in that
  member's keys only: rows that only they see (PRIVATE_MODELS: their read position,
  follows, notices). Reading a thread moves the reader's position; it must not end
  everyone else's pages.

Services that change those rows without save() or delete() (bulk_create,
bulk_update, QuerySet.update) call the invalidation themselves, as the community
lifecycle does for every operation; so must anything new that changes what a
reader sees.

`shared_page_data()` keeps, in the public pages' generation, the parts of a page
that are the same for every reader, so pages rendered for members skip those
queries too.

Never served from the cache nor stored: other methods than GET, UNCACHED_PREFIXES,
addresses with other query parameters than CACHEABLE_QUERY_PARAMETERS, a request
with a pending message (the `messages` cookie, or `_messages` in the session), and
a visitor with a session but no login. A response is stored only if it is a plain
200 that sets no cookie (nor changes the session) and is not marked no-store or
no-cache; a visitor's also only if it is not private and embeds no CSRF token.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import transaction
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

GENERATION_KEY = "page-cache:generation"
MEMBERS_GENERATION_KEY = "page-cache:members-generation"
# Only these query parameters may vary a cached page (pagination); an address with
# any other query (a search) is rendered each time, so arbitrary queries cannot
# fill the cache.
CACHEABLE_QUERY_PARAMETERS = {"page", "pagina"}
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
# Our own apps (app labels): a save or delete of any of their models ends the
# members' pages.
MEMBER_APPS = ("home", "communities", "forum", "members", "todo_lists", "teams")
# Other models whose rows members see: their e-mail addresses (account pages,
# verification state).
MEMBER_MODELS_ELSEWHERE = ("account.EmailAddress",)
# Rows that only one person ever sees (their read position in a thread, the threads
# they follow, their notices), each with a `user` field naming that person: a
# change ends that reader's stored pages only (their own generation). Marking a
# thread read is the most frequent write of all; were it to end every member's
# pages, a busy forum would keep the cache empty.
PRIVATE_MODELS = ("forum.ThreadReadState", "forum.Follow", "forum.Notification")


def page_cache_seconds() -> int:
    """0 turns the cache off (the test settings do, so tests see fresh pages)."""
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def _reader_generation_key(user_id) -> str:
    return f"page-cache:reader-generation:{user_id}"


def _generations(user_id=None) -> tuple[int, ...]:
    """The public pages' and the members' generation, and the reader's own when
    `user_id` is given, in one cache round trip."""
    keys = [GENERATION_KEY, MEMBERS_GENERATION_KEY]
    if user_id is not None:
        keys.append(_reader_generation_key(user_id))
    found = cache.get_many(keys)
    generations = []
    for key in keys:
        generation = found.get(key)
        if generation is None:
            # First use, or evicted: start a generation that no stored page has.
            cache.add(key, 1, timeout=None)
            generation = cache.get(key, 1)
        generations.append(generation)
    return tuple(generations)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not there (yet, or evicted)
        cache.add(key, 2, timeout=None)


def _bump_public() -> None:
    _bump(GENERATION_KEY)


def _bump_members() -> None:
    _bump(MEMBERS_GENERATION_KEY)


def invalidate_public_pages() -> None:
    """Make every reader, visitor or member, get freshly rendered pages once the
    current transaction commits (the public generation is in every key)."""
    transaction.on_commit(_bump_public)


def invalidate_member_pages() -> None:
    """Make every logged-in member get freshly rendered pages once the current
    transaction commits; visitors' pages stay."""
    transaction.on_commit(_bump_members)


def invalidate_reader_pages(user_id) -> None:
    """End one person's stored pages once the current transaction commits: for a
    write that only they see (PRIVATE_MODELS)."""
    transaction.on_commit(lambda: _bump(_reader_generation_key(user_id)))


def _public_generation(request) -> int:
    """Read once per request (one round trip for every key a request uses)."""
    generation = getattr(request, "_page_cache_generation", None)
    if generation is None:
        generation = request._page_cache_generation = _generations()[0]
    return generation


def shared_key(request, name: str) -> str:
    """A cache key that ends with the current generation of the public pages."""
    return f"page-cache:{_public_generation(request)}:{name}"


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
    # An empty cookie is one the browser was told to delete.
    if request.path.startswith(UNCACHED_PREFIXES) or request.COOKIES.get("messages"):
        return False
    return set(request.GET) <= CACHEABLE_QUERY_PARAMETERS


def _reader(request) -> tuple[str, str | None] | None:
    """Whose page this request may get, and the member's user id: ("public", None)
    for a visitor without a session, a hash of the session key and CSRF cookie for
    a logged-in member, None for neither (a visitor with a session, a pending
    message in the session)."""
    if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return "public", None
    session = request.session  # cached_db: a cache read, no query while it is there
    if SESSION_KEY not in session or "_messages" in session:
        return None
    secret = f"{session.session_key}:{request.COOKIES.get(settings.CSRF_COOKIE_NAME, '')}"
    return "member-" + hashlib.sha256(secret.encode()).hexdigest(), session[SESSION_KEY]


def _sets_cookies(request, response, *, member: bool) -> bool:
    names = set(response.cookies)
    csrf = settings.CSRF_COOKIE_NAME
    if member and csrf in names and response.cookies[csrf].value == request.COOKIES.get(csrf):
        # Django sends the CSRF cookie again with every page that uses it, to renew
        # its expiry: the reader's own value (part of the key), so it may be stored.
        names.discard(csrf)
    return bool(names)


def _is_cacheable_response(request, response, *, member: bool) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if _sets_cookies(request, response, member=member):
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("no-cache", "no-store")):
        return False
    if member:
        # SessionMiddleware sets its cookie after this middleware has the response.
        return not request.session.modified
    return "private" not in cache_control and b"csrfmiddlewaretoken" not in response.content


def _key(request, reader: str, generations: tuple[int, ...]) -> str:
    address = f"{request.scheme}:{request.get_host()}:{request.get_full_path()}"
    return f"page-cache:{':'.join(map(str, generations))}:{reader}:{address}"


class PageCacheMiddleware:
    """Placed right after SessionMiddleware: a hit skips everything below it
    (locale, CSRF, authentication, messages, the view); the headers those added to
    the stored response (Content-Language, Vary, CSP, X-Frame-Options) are stored
    with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_cacheable_request(request):
            return self.get_response(request)
        found = _reader(request)
        if found is None:
            return self.get_response(request)
        reader, user_id = found
        member = user_id is not None
        generations = _generations(user_id)
        request._page_cache_generation = generations[0]  # for shared_page_data()
        # A visitor's key leaves the members' generation out (members' writes must
        # not end the visitors' pages); a member's has all three.
        key = _key(request, reader, generations if member else generations[:1])
        hard_reload = member and "no-cache" in request.headers.get("Cache-Control", "")
        if not hard_reload:
            response = cache.get(key)
            if response is not None:
                return response
        response = self.get_response(request)
        cacheable = _is_cacheable_response(request, response, member=member)
        if member:
            patch_cache_control(response, private=True)
        if cacheable:
            cache.set(key, response, page_cache_seconds())
        return response


def _on_page_change(sender, instance=None, **kwargs) -> None:
    invalidate_public_pages()


def _on_page_delete(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page):
        invalidate_public_pages()


def _on_row_change(sender, instance, update_fields=None, **kwargs) -> None:
    # A login writes only last_login: nothing a reader sees.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    label = sender._meta.label
    if label in PUBLIC_MODELS:
        invalidate_public_pages()  # the members' pages with them
    elif label in PRIVATE_MODELS:
        invalidate_reader_pages(instance.user_id)
    else:
        invalidate_member_pages()


def _on_relation_change(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        invalidate_member_pages()


def watched_models() -> list:
    """Every model whose saves and deletes end cached pages: PUBLIC_MODELS, all
    models of MEMBER_APPS (with the tables of their many-to-many relations), and
    MEMBER_MODELS_ELSEWHERE."""
    from django.apps import apps

    models = {apps.get_model(label) for label in PUBLIC_MODELS + MEMBER_MODELS_ELSEWHERE}
    for label in MEMBER_APPS:
        models.update(apps.get_app_config(label).get_models(include_auto_created=True))
    return sorted(models, key=lambda model: model._meta.label)


def connect_invalidation() -> None:
    """Called once from an AppConfig.ready(): the signals that end the cached pages."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(_on_page_change, dispatch_uid="page_cache_published")
    page_unpublished.connect(_on_page_change, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(_on_page_change, dispatch_uid="page_cache_moved")
    post_delete.connect(_on_page_delete, dispatch_uid="page_cache_page_deleted")
    for model in watched_models():
        label = model._meta.label
        post_save.connect(_on_row_change, sender=model, dispatch_uid=f"page_cache_{label}")
        post_delete.connect(_on_row_change, sender=model, dispatch_uid=f"page_cache_del_{label}")
        # .add()/.remove()/.clear() on a relation: m2m_changed, sent by its table.
        m2m_changed.connect(
            _on_relation_change, sender=model, dispatch_uid=f"page_cache_m2m_{label}"
        )
