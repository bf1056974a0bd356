"""Fragments and URLs shared by the pages, the live updates and the catch-up endpoint.

A live fragment is rendered once per interface language and carries no
per-viewer controls beyond hidden ones the page's script may reveal (the
author's own "edit", the moderators' "hide"): every reader gets the same HTML.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from communities import permissions
from members.models import name_of


def forum_url(community, name: str = "forum", *args) -> str:
    return community.subpage_url(name, *args)


@dataclass
class PostItem:
    """A post as a page shows it, with the links the viewer may use."""

    post: object
    edit_url: str
    moderate_url: str
    permalink: str
    can_edit: bool
    can_moderate: bool
    editable_until: object

    @property
    def show_hidden_body(self) -> bool:
        return self.can_moderate and self.post.hidden_at is not None


def post_item(post, *, community, thread, user=None, can_moderate=False, base=None) -> PostItem:
    """`base` is the thread's URL (computed once per page)."""
    base = base or forum_url(community, "forum_thread", thread.pk)
    return PostItem(
        post=post,
        edit_url=f"{base}bericht/{post.pk}/bewerken/",
        moderate_url=f"{base}bericht/{post.pk}/verbergen/",
        permalink=f"{base}bericht/{post.pk}/",
        can_edit=bool(user is not None and permissions.can_edit_post(user, post)),
        can_moderate=can_moderate,
        editable_until=post.created_at + settings.FORUM_EDIT_WINDOW,
    )


def _in_every_language(render) -> dict[str, str]:
    html = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            html[code] = render()
    return html


def text_everywhere(message) -> dict[str, str]:
    """A (lazily) translated message in every interface language, for a live page to
    show in its own language."""
    return _in_every_language(lambda: str(message))


def render_post(post, *, live: bool = True, item: PostItem | None = None) -> str:
    """One post's fragment in the active language."""
    thread = post.thread
    item = item or post_item(post, community=thread.community, thread=thread)
    return render_to_string("forum/includes/post.html", {"item": item, "live": live})


def render_post_everywhere(post) -> dict[str, str]:
    return _in_every_language(lambda: render_post(post))


def render_thread_row(thread) -> str:
    """One row of the thread list (for a thread from selectors.threads_of_any)."""
    return render_to_string(
        "forum/includes/thread_row.html",
        {
            "row": {
                "thread": thread,
                "url": forum_url(thread.community, "forum_thread", thread.pk),
                "unread": False,
                "reply_count": max(thread.post_count - 1, 0),
            },
            "now": timezone.now(),
        },
    )


def render_thread_row_everywhere(thread) -> dict[str, str]:
    return _in_every_language(lambda: render_thread_row(thread))


def search_rows(*, user, query: str, communities=None) -> dict:
    """Forum search results with their links, for the site search page (logged-in
    users only; empty otherwise)."""
    from communities.forum.selectors import search_forum

    found = search_forum(user=user, query=query, communities=communities)
    threads = [
        {
            "title": thread.title,
            "community": thread.community.title,
            "url": forum_url(thread.community, "forum_thread", thread.pk),
        }
        for thread in found["threads"]
    ]
    posts = [
        {
            "title": post.thread.title,
            "community": post.thread.community.title,
            "author": name_of(post.author),
            "excerpt": post.body_source,
            "url": forum_url(post.thread.community, "forum_thread", post.thread_id)
            + f"bericht/{post.pk}/",
        }
        for post in found["posts"]
    ]
    return {"threads": threads, "posts": posts, "count": len(threads) + len(posts)}
