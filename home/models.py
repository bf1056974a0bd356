from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from communities.selectors import communities_by_priority


class HomePage(Page):
    """The site root: an introduction and the active communities per priority."""

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["communities.CommunityIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from todo_lists.selectors import recently_completed

        context = super().get_context(request, *args, **kwargs)
        context["priority_groups"] = communities_by_priority()
        context["recently_completed"] = recently_completed()
        return context
