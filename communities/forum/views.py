"""The forum pages. Each view is reached through a route of CommunityPage (or, for
the catch-up endpoint and notifications, an ordinary URL); permission questions go
to communities.permissions, writes to communities.forum.services."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from communities import permissions
from communities.forum import rendering, selectors, services
from communities.forum.forms import (
    EditPostForm,
    FollowForm,
    HideForm,
    MoveForm,
    PostForm,
    ThreadForm,
)
from communities.forum.models import FollowMode, Post
from cop_platform.ratelimits import limit_exceeded
from cop_platform.view_helpers import add_validation_errors, login_or_forbid

THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 20
CATCH_UP_LIMIT = 50


def _thread_here(request, community, thread_id):
    """The thread, if it lives in this community; a redirect to its new place if it
    moved; 404 if it does not exist or may not be read."""
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    if thread.community_id != community.pk:
        return thread, redirect(rendering.forum_url(thread.community, "forum_thread", thread.pk))
    thread.community = community
    return thread, None


def _rate_limited(request, form) -> bool:
    if limit_exceeded(request, "forum_post"):
        form.add_error(
            None, _("You have posted a lot in a short time. Please wait a moment and try again.")
        )
        return True
    return False


def _login_to_read(request, community):
    """For anonymous visitors, instead of a silent redirect to the login form: a page
    saying that the forum exists, how many threads it has, and that logging in lets
    them read along (the whole network may), with a login link that brings them back.
    For `login_or_forbid(..., anonymous=...)`."""
    return TemplateResponse(
        request,
        "forum/login_to_read.html",
        {"page": community, "thread_count": selectors.thread_count(community)},
    )


def forum_index(request, community):
    """The thread list: pinned first, then by last activity, with reply counts and
    unread markers."""
    if response := login_or_forbid(
        request,
        permissions.can_read_forum(request.user, community),
        anonymous=lambda: _login_to_read(request, community),
    ):
        return response
    user = request.user
    page_obj = Paginator(selectors.threads_of(community, user=user), THREADS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    rows = [
        {
            "thread": thread,
            "url": rendering.forum_url(community, "forum_thread", thread.pk),
            "unread": selectors.thread_is_unread(thread),
            "reply_count": max(thread.post_count - 1, 0),
        }
        for thread in page_obj.object_list
    ]
    return TemplateResponse(
        request,
        "forum/thread_list.html",
        {
            "page": community,
            "page_obj": page_obj,
            "rows": rows,
            "can_post": permissions.can_post(user, community),
            "new_thread_url": rendering.forum_url(community, "forum_new"),
            "notification_count": selectors.unread_notification_count(user),
            "now": timezone.now(),
        },
    )


def new_thread(request, community):
    if response := login_or_forbid(request):
        return response
    permissions.require(permissions.can_post(request.user, community))
    form = ThreadForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _rate_limited(request, form):
            status = 429
        elif form.is_valid():
            try:
                thread = services.thread_create(
                    actor=request.user, community=community, **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Your thread has been started."))
                return redirect(rendering.forum_url(community, "forum_thread", thread.pk))
        if status == 200:
            status = 400
    return TemplateResponse(
        request,
        "forum/thread_form.html",
        {"page": community, "form": form, "forum_url": rendering.forum_url(community)},
        status=status,
    )


def thread_page(request, community, thread_id):
    """A thread with its posts, paginated; replying, following and moderating."""
    if response := login_or_forbid(
        request,
        permissions.can_read_forum(request.user, community),
        anonymous=lambda: _login_to_read(request, community),
    ):
        return response
    thread, moved = _thread_here(request, community, thread_id)
    if moved is not None:
        return moved
    user = request.user
    paginator = Paginator(selectors.posts_of_thread(thread), POSTS_PER_PAGE)
    number = request.GET.get("pagina")
    page_obj = paginator.get_page(paginator.num_pages if number == "laatste" else number)
    can_moderate = permissions.can_moderate_forum(user, community)
    base = rendering.forum_url(community, "forum_thread", thread.pk)
    items = []
    for post in page_obj.object_list:
        post.thread = thread  # the page's thread, with its community: no query per post
        items.append(
            rendering.post_item(
                post,
                community=community,
                thread=thread,
                user=user,
                can_moderate=can_moderate,
                base=base,
            )
        )
    last_id = max((item.post.pk for item in items), default=0)
    services.thread_mark_read(user=user, thread=thread, post_id=last_id)
    follow = selectors.follow_of(user, thread)
    can_post = permissions.can_post(user, community, thread)
    return TemplateResponse(
        request,
        "forum/thread.html",
        {
            "page": community,
            "thread": thread,
            "page_obj": page_obj,
            "items": items,
            "last_id": last_id,
            "is_last_page": page_obj.number == paginator.num_pages,
            "can_post": can_post,
            "can_moderate": can_moderate,
            "reply_form": PostForm() if can_post else None,
            "reply_url": f"{base}antwoorden/",
            "follow": follow,
            "follow_form": FollowForm(
                initial={"mode": follow.mode if follow else FollowMode.IMMEDIATELY}
            ),
            "follow_url": f"{base}volgen/",
            "moderate_url": f"{base}moderatie/",
            "forum_url": rendering.forum_url(community),
            "last_page_url": f"{base}?pagina=laatste",
            "test_hooks": settings.FORUM_TEST_HOOKS,
        },
    )


def reply(request, community, thread_id):
    """POST a reply (without JavaScript too); on errors the form is shown again."""
    if response := login_or_forbid(request):
        return response
    thread, moved = _thread_here(request, community, thread_id)
    if moved is not None:
        return moved
    permissions.require(permissions.can_post(request.user, community, thread))
    base = rendering.forum_url(community, "forum_thread", thread.pk)
    if request.method != "POST":
        form = PostForm()
        status = 200
    else:
        form = PostForm(request.POST)
        status = 400
        if _rate_limited(request, form):
            status = 429
        elif form.is_valid():
            try:
                post = services.post_create(
                    actor=request.user, thread=thread, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Your reply has been posted."))
                return redirect(f"{base}?pagina=laatste#post-{post.pk}")
    return TemplateResponse(
        request,
        "forum/reply.html",
        {"page": community, "thread": thread, "form": form, "thread_url": base},
        status=status,
    )


def _post_here(request, community, thread_id, post_id):
    thread, moved = _thread_here(request, community, thread_id)
    if moved is not None:
        return None, None, moved
    post = get_object_or_404(
        Post.objects.select_related("author__profile", "hidden_by__profile"),
        pk=post_id,
        thread=thread,
    )
    post.thread = thread
    return thread, post, None


def post_permalink(request, community, thread_id, post_id):
    """Redirect to the page of the thread that shows this post."""
    if response := login_or_forbid(
        request,
        permissions.can_read_forum(request.user, community),
        anonymous=lambda: _login_to_read(request, community),
    ):
        return response
    thread, post, moved = _post_here(request, community, thread_id, post_id)
    if moved is not None:
        return moved
    number = selectors.post_position(post) // POSTS_PER_PAGE + 1
    base = rendering.forum_url(community, "forum_thread", thread.pk)
    return redirect(f"{base}?pagina={number}#post-{post.pk}")


def edit_post(request, community, thread_id, post_id):
    if response := login_or_forbid(request):
        return response
    thread, post, moved = _post_here(request, community, thread_id, post_id)
    if moved is not None:
        return moved
    permissions.require(permissions.can_edit_post(request.user, post))
    base = rendering.forum_url(community, "forum_thread", thread.pk)
    form = EditPostForm(request.POST or None, initial={"body": post.body_source})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(actor=request.user, post=post, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Your post has been changed."))
            return redirect(f"{base}bericht/{post.pk}/")
    return TemplateResponse(
        request,
        "forum/edit_post.html",
        {"page": community, "thread": thread, "post": post, "form": form, "thread_url": base},
        status=400 if form.errors else 200,
    )


def hide_post(request, community, thread_id, post_id):
    """Moderators: confirm hiding a post (with a reason), or make it visible again."""
    if response := login_or_forbid(request):
        return response
    thread, post, moved = _post_here(request, community, thread_id, post_id)
    if moved is not None:
        return moved
    permissions.require(permissions.can_moderate_forum(request.user, community))
    base = rendering.forum_url(community, "forum_thread", thread.pk)
    form = HideForm(request.POST if request.POST.get("action") == "hide" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "unhide":
                services.post_unhide(actor=request.user, post=post)
                messages.success(request, _("The post is visible again."))
                return redirect(f"{base}bericht/{post.pk}/")
            if form.is_valid():
                services.post_hide(
                    actor=request.user, post=post, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("The post has been hidden."))
                return redirect(f"{base}bericht/{post.pk}/")
        except ValidationError as error:
            add_validation_errors(form, error)
    item = rendering.post_item(
        post, community=community, thread=thread, can_moderate=True, base=base
    )
    return TemplateResponse(
        request,
        "forum/hide_post.html",
        {"page": community, "thread": thread, "item": item, "form": form, "thread_url": base},
        status=400 if form.errors else 200,
    )


def moderate_thread(request, community, thread_id):
    """Moderators: lock, pin or move a thread."""
    if response := login_or_forbid(request):
        return response
    thread, moved = _thread_here(request, community, thread_id)
    if moved is not None:
        return moved
    permissions.require(permissions.can_moderate_forum(request.user, community))
    base = rendering.forum_url(community, "forum_thread", thread.pk)
    move_form = MoveForm(
        request.POST if request.POST.get("action") == "move" else None, community=community
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("lock", "unlock"):
                services.thread_set_locked(
                    actor=request.user, thread=thread, locked=action == "lock"
                )
                messages.success(
                    request,
                    _("The thread is locked.") if action == "lock" else _("The thread is open."),
                )
                return redirect(base)
            if action in ("pin", "unpin"):
                services.thread_set_pinned(
                    actor=request.user, thread=thread, pinned=action == "pin"
                )
                messages.success(
                    request,
                    _("The thread is pinned.") if action == "pin" else _("The thread is unpinned."),
                )
                return redirect(base)
            if action == "move":
                if move_form.is_valid():
                    target = move_form.cleaned_data["target"]
                    services.thread_move(actor=request.user, thread=thread, target=target)
                    messages.success(
                        request,
                        _("The thread has moved to %(community)s.") % {"community": target.title},
                    )
                    return redirect(rendering.forum_url(target, "forum_thread", thread.pk))
                status = 400
            else:
                status = 400
        except ValidationError as error:
            add_validation_errors(move_form, error)
            status = 400
    return TemplateResponse(
        request,
        "forum/moderate_thread.html",
        {"page": community, "thread": thread, "move_form": move_form, "thread_url": base},
        status=status,
    )


def follow_thread(request, community, thread_id):
    """POST: follow (with an e-mail mode) or stop following."""
    if response := login_or_forbid(request):
        return response
    thread, moved = _thread_here(request, community, thread_id)
    if moved is not None:
        return moved
    base = rendering.forum_url(community, "forum_thread", thread.pk)
    if request.method != "POST":
        return redirect(base)
    if request.POST.get("action") == "unfollow":
        services.thread_unfollow(actor=request.user, thread=thread)
        messages.success(request, _("You no longer follow this thread."))
        return redirect(base)
    form = FollowForm(request.POST)
    if form.is_valid():
        services.thread_follow(actor=request.user, thread=thread, mode=form.cleaned_data["mode"])
        messages.success(request, _("You follow this thread."))
    else:
        messages.error(request, _("Choose how you want to hear about new posts."))
    return redirect(base)


@never_cache
@require_GET
def posts_since(request, thread_id):
    """The catch-up endpoint of the live thread page: posts after `na` (a post id),
    oldest first, as the same sanitised fragments the live updates carry."""
    # Anonymous visitors and those who may not read it: the same 404 as a missing thread.
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    try:
        after = max(int(request.GET.get("na", "0")), 0)
    except ValueError:
        return JsonResponse({"error": "na must be a post id"}, status=400)
    posts = selectors.posts_since(thread, after_id=after, limit=CATCH_UP_LIMIT + 1)
    more = len(posts) > CATCH_UP_LIMIT
    posts = posts[:CATCH_UP_LIMIT]
    base = rendering.forum_url(thread.community, "forum_thread", thread.pk)
    for post in posts:
        post.thread = thread
    return JsonResponse(
        {
            "posts": [
                {
                    "id": post.pk,
                    "html": rendering.render_post(
                        post,
                        item=rendering.post_item(
                            post, community=thread.community, thread=thread, base=base
                        ),
                    ),
                }
                for post in posts
            ],
            "more": more,
        }
    )


def notifications(request):
    """The person's notifications (mentions), newest first; POST marks all as read."""
    if response := login_or_forbid(request):
        return response
    if request.method == "POST":
        services.notifications_mark_read(actor=request.user)
        messages.success(request, _("All notifications are marked as read."))
        return redirect(request.path)
    page_obj = Paginator(selectors.notifications_for(request.user), 30).get_page(
        request.GET.get("pagina")
    )
    rows = [
        {
            "notification": notification,
            "url": rendering.forum_url(
                notification.post.thread.community, "forum_thread", notification.post.thread_id
            )
            + f"bericht/{notification.post_id}/",
        }
        for notification in page_obj.object_list
    ]
    return TemplateResponse(
        request,
        "forum/notifications.html",
        {
            "page_obj": page_obj,
            "rows": rows,
            "unread": selectors.unread_notification_count(request.user),
        },
    )
