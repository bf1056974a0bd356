"""A question to the community's moderators from someone who is not a member."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from communities import permissions
from communities.forms import ContactModeratorsForm
from communities.selectors import community_people
from communities.services.contact import moderators_contact
from cop_platform.ratelimits import limit_exceeded
from cop_platform.view_helpers import add_validation_errors, login_or_forbid


def contact_moderators(request, community):
    if response := login_or_forbid(request):
        return response
    if not permissions.can_contact_moderators(request.user, community):
        # Members and moderators meet in the forum; the form is for outsiders.
        messages.info(request, _("As a member you ask the moderators your question in the forum."))
        return redirect(community.url)
    form = ContactModeratorsForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if limit_exceeded(request, "moderator_contact"):
            form.add_error(
                None, _("You have sent many messages in a short time. Please try again later.")
            )
            status = 429
        elif form.is_valid():
            try:
                moderators_contact(actor=request.user, community=community, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Your message has been sent to the moderators. They answer you by "
                        "e-mail; you also get a copy."
                    ),
                )
                return redirect(community.url)
        if form.errors and status == 200:
            status = 400
    return TemplateResponse(
        request,
        "communities/contact.html",
        {"page": community, "form": form, "people": community_people(community)},
        status=status,
    )
