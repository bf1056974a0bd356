from django import forms
from django.utils.translation import gettext_lazy as _

from communities.forum.models import FollowMode
from communities.forum.services import BODY_LIMIT, TITLE_LIMIT
from communities.models import CommunityPage, CommunityStatus

MARKDOWN_HELP = _(
    "You can use Markdown: *italic*, **bold**, lists and links. "
    "Mention a member of this community with @ and their name."
)


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=BODY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )


class EditPostForm(PostForm):
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_LIMIT)
    body = forms.CharField(
        label=_("Your message"),
        max_length=BODY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Readers see this reason instead of the post."),
    )


class MoveForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Move to community"),
        queryset=CommunityPage.objects.none(),
        empty_label=_("(choose a community)"),
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            CommunityPage.objects.live()
            .filter(status=CommunityStatus.ACTIVE)
            .exclude(pk=community.pk)
            .order_by("number")
        )
        self.fields["target"].label_from_instance = lambda page: f"{page.number} {page.title}"


class FollowForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("E-mail about new posts"), choices=FollowMode.choices, widget=forms.RadioSelect
    )
