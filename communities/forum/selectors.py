"""Reads of the forum. Every function runs a fixed number of queries, whatever the
number of threads or posts; access checks ask communities.permissions."""

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.http import Http404

from communities import permissions
from communities.forum.models import Follow, Notification, Post, Thread, ThreadReadState
from communities.models import Membership, MembershipState
from cop_platform.search import words_or_beginnings

VISIBLE = Q(posts__hidden_at__isnull=True)


def threads_of(community, *, user=None):
    """The community's threads, pinned first, then by last activity, with the number of
    visible replies, the newest visible post and (for `user`) the last post they read."""
    threads = (
        Thread.objects.filter(community=community)
        .select_related("author__profile")
        .annotate(
            post_count=Count("posts", filter=VISIBLE),
            latest_post_id=Max("posts__id", filter=VISIBLE),
        )
        .order_by("-pinned", "-last_activity_at", "-pk")
    )
    if user is not None and user.is_authenticated:
        threads = threads.annotate(
            read_upto=Subquery(
                ThreadReadState.objects.filter(thread=OuterRef("pk"), user=user).values(
                    "last_read_post_id"
                )[:1]
            )
        )
    return threads


def thread_count(community) -> int:
    """How many threads the community's forum has (hidden posts do not hide a
    thread). One query."""
    return Thread.objects.filter(community=community).count()


def thread_is_unread(thread) -> bool:
    """For a thread from `threads_of(..., user=...)`: is there a visible post the
    user has not seen?"""
    read_upto = getattr(thread, "read_upto", None)
    latest = thread.latest_post_id or 0
    return read_upto is None or latest > read_upto


def thread_row(thread_id: int):
    """One annotated thread (as in the list), without anyone's read state."""
    return threads_of_any().get(pk=thread_id)


def threads_of_any():
    return (
        Thread.objects.select_related("author__profile", "community")
        .annotate(
            post_count=Count("posts", filter=VISIBLE),
            latest_post_id=Max("posts__id", filter=VISIBLE),
        )
        .order_by("-pinned", "-last_activity_at", "-pk")
    )


def thread_get_for_user(*, user, thread_id: int) -> Thread:
    """A thread the user may read, wherever it lives now. "Missing" and "forbidden"
    are the same 404."""
    try:
        thread = Thread.objects.select_related("community", "author__profile").get(pk=thread_id)
    except Thread.DoesNotExist:
        raise Http404 from None
    if not permissions.can_read_forum(user, thread.community):
        raise Http404
    return thread


def posts_of_thread(thread):
    """All posts of a thread in order, with what the page shows about their authors."""
    return (
        Post.objects.filter(thread=thread)
        .select_related("author__profile", "hidden_by__profile")
        .order_by("pk")
    )


def posts_since(thread, *, after_id: int, limit: int = 50) -> list[Post]:
    """Posts of the thread newer than `after_id`, oldest first, at most `limit`."""
    return list(posts_of_thread(thread).filter(pk__gt=after_id)[:limit])


def post_position(post) -> int:
    """How many posts of its thread come before this one (for the page it is on)."""
    return Post.objects.filter(thread_id=post.thread_id, pk__lt=post.pk).count()


def follow_of(user, thread) -> Follow | None:
    if not user.is_authenticated:
        return None
    return Follow.objects.filter(user=user, thread=thread).first()


def mention_candidates(community) -> dict[str, object]:
    """Name → user for the active members of the community: display names and
    usernames both work after "@"."""
    candidates: dict[str, object] = {}
    memberships = Membership.objects.filter(
        community=community, state=MembershipState.ACTIVE, user__is_active=True
    ).select_related("user__profile")
    for membership in memberships:
        person = membership.user
        for name in (person.display_name, person.username):
            if name:
                candidates.setdefault(name, person)
    return candidates


def notifications_for(user):
    return (
        Notification.objects.filter(user=user)
        .select_related("post__thread__community", "post__author__profile")
        .order_by("-created_at", "-pk")
    )


def unread_notification_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def forum_posts_of(user):
    """Everything a person wrote in the forums, for their personal-data export:
    posts (hidden ones too) with thread and community, oldest first."""
    return (
        Post.objects.filter(author=user)
        .select_related("thread__community")
        .order_by("created_at", "pk")
    )


def search_forum(*, user, query: str, communities=None, limit: int = 20) -> dict:
    """Threads (by title: whole words or their beginnings) and visible posts (by
    text) matching `query`, for logged-in users only (the forums need a login); only
    in `communities` (the search facets' queryset) when given. Two or three searches
    and two reads."""
    if not query or not permissions.can_search_forums(user):
        return {"threads": [], "posts": []}
    thread_ids = [
        thread.pk for thread in words_or_beginnings(Thread.objects.all(), query, limit=limit)
    ]
    post_ids = [post.pk for post in words_or_beginnings(Post.objects.all(), query, limit=limit * 2)]
    threads = Thread.objects.filter(pk__in=thread_ids).select_related("community")
    posts = Post.objects.filter(pk__in=post_ids, hidden_at__isnull=True).select_related(
        "thread__community", "author__profile"
    )
    if communities is not None:
        threads = threads.filter(community__in=communities)
        posts = posts.filter(thread__community__in=communities)
    threads = {thread.pk: thread for thread in threads}
    posts = {post.pk: post for post in posts}
    return {
        "threads": [
            threads[pk]
            for pk in thread_ids
            if pk in threads and permissions.can_read_forum(user, threads[pk].community)
        ],
        "posts": [
            posts[pk]
            for pk in post_ids
            if pk in posts and permissions.can_read_forum(user, posts[pk].thread.community)
        ][:limit],
    }
