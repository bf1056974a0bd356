from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cop_platform.sanitize import plain_to_html
from members.forms import ProfileForm
from members.selectors import profile_get_for_user
from members.services import profile_ensure, profile_update


@login_required
def profile_edit(request):
    profile = profile_ensure(user=request.user)
    form = ProfileForm(
        request.POST or None,
        initial={
            "display_name": profile.display_name,
            "organisation": profile.organisation_id,
            "job_title": profile.job_title,
            "bio": profile.bio,
            "language": profile.language,
        },
    )
    if request.method == "POST" and form.is_valid():
        profile_update(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("members:profile", request.user.pk)
    return render(
        request, "members/profile_edit.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def profile_detail(request, user_id: int):
    person, communities = profile_get_for_user(user=request.user, profile_user_id=user_id)
    profile = getattr(person, "profile", None)
    return render(
        request,
        "members/profile_detail.html",
        {
            "person": person,
            "profile": profile,
            "bio_html": plain_to_html(profile.bio) if profile else "",
            "communities": communities,
            "is_own": person.pk == request.user.pk,
        },
    )
