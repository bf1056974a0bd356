"""A community page is not an ordinary page in the Wagtail admin.

- It is never deleted: its memberships, forum and to-do list hang on it, and
  a community ends by being dissolved (an archive stays at its URL). Deleting
  it, or a page above it, is refused with a message that says so.
- It is never unpublished either: its members and applicants would land on a
  "page not found". Refused likewise.
- It is first published only with a current moderator (its moderators page
  promises one). A coordinator who first publishes a new community becomes
  its first moderator; anyone else is asked to let a coordinator publish it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks

from communities import permissions
from communities.models import CommunityPage, Moderatorship
from communities.services.moderators import founding_moderator_appoint
from cop_platform.page_cache import invalidate_public_pages


def _communities_at_or_below(pages) -> list[CommunityPage]:
    found = []
    for page in pages:
        found.extend(CommunityPage.objects.descendant_of(page, inclusive=True))
    return found


def _refuse(request, message: str, page=None, next_url: str | None = None):
    messages.error(request, message)
    if next_url:
        return redirect(next_url)
    return redirect("wagtailadmin_pages:edit", page.pk)


def _delete_refusal(communities: list[CommunityPage]) -> str:
    names = ", ".join(c.title for c in communities)
    return _(
        "A community is never deleted: its members, forum and to-do list belong to it. "
        "To end it, a network coordinator dissolves it on the community's history page "
        "(it stays readable as an archive). Concerns: %(names)s."
    ) % {"names": names}


def _unpublish_refusal(communities: list[CommunityPage]) -> str:
    names = ", ".join(c.title for c in communities)
    return _(
        "A community is not ended by unpublishing it: its members and applicants would "
        "find a missing page. To end it, a network coordinator dissolves it on the "
        "community's history page (it stays readable as an archive). Concerns: %(names)s."
    ) % {"names": names}


@hooks.register("before_delete_page")
def refuse_deleting_communities(request, page):
    communities = _communities_at_or_below([page])
    if communities:
        return _refuse(request, _delete_refusal(communities), page)
    return None


@hooks.register("before_unpublish_page")
def refuse_unpublishing_communities(request, page):
    communities = _communities_at_or_below([page])
    if communities:
        return _refuse(request, _unpublish_refusal(communities), page)
    return None


@hooks.register("before_publish_page")
def require_a_moderator(request, page):
    # Only a community's first publication: later edits are published as usual (an
    # archive has no moderators; a live community without one is on the
    # coordinators' moderation overview).
    if not isinstance(page, CommunityPage) or page.first_published_at is not None:
        return None
    if Moderatorship.objects.current().filter(community=page).exists():
        return None
    if not permissions.can_manage_moderators(request.user, page):
        # Wagtail's create view adds the new page as live before it asks this
        # hook; a refused community stays a draft.
        CommunityPage.objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
        # update() sends no post_save: the remembered route and any cached copy go.
        invalidate_public_pages()
        return _refuse(
            request,
            _(
                "This community has no moderator yet, so it is saved as a draft. "
                "Ask a network coordinator to publish it: the coordinator who publishes "
                "it becomes its first moderator."
            ),
            page,
        )
    try:
        founding_moderator_appoint(actor=request.user, community=page)
    except ValidationError as error:
        return _refuse(request, " ".join(error.messages), page)
    messages.info(
        request,
        _(
            "You are the first moderator of “%(name)s”. Appoint others or hand the role "
            "over on its moderators page."
        )
        % {"name": page.title},
    )
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_actions_on_communities(request, action_type, objects, action_class_instance):
    if action_type not in ("delete", "unpublish", "publish"):
        return None
    communities = _communities_at_or_below(objects)
    next_url = action_class_instance.next_url
    if next_url == request.path and objects:
        # No "next" given: back to the listing the pages were chosen from.
        next_url = reverse("wagtailadmin_explore", args=[objects[0].get_parent().pk])
    if action_type == "delete" and communities:
        return _refuse(request, _delete_refusal(communities), next_url=next_url)
    if action_type == "unpublish" and communities:
        return _refuse(request, _unpublish_refusal(communities), next_url=next_url)
    if action_type == "publish":
        moderated = set(
            Moderatorship.objects.current()
            .filter(community__in=communities)
            .values_list("community_id", flat=True)
        )
        without = [c for c in communities if c.pk not in moderated]
        if without:
            return _refuse(
                request,
                _(
                    "These communities have no moderator yet: %(names)s. Publish each one "
                    "on its own edit page: the coordinator who publishes it becomes its "
                    "first moderator."
                )
                % {"names": ", ".join(c.title for c in without)},
                next_url=next_url,
            )
    return None


@hooks.register("insert_global_admin_js")
def label_tag_fields():
    """Wagtail's tag field types into an unlabelled input: static/js/admin_tag_label.js
    gives it the field's label (a CSP-safe file, no inline script)."""
    return format_html('<script src="{}" defer></script>', static("js/admin_tag_label.js"))
