"""What an archived community answers to anything that would change it."""

from django.template.response import TemplateResponse

from communities.lifecycle.selectors import community_lineage


def archive_refusal(request, community):
    """The archive notice (date, reason, where the community went on), status 403:
    nothing is added to or changed in an archive."""
    return TemplateResponse(
        request,
        "communities/archive_refusal.html",
        {"page": community, "lineage": community_lineage(community)},
        status=403,
    )
