from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index


class Priority(models.TextChoices):
    """The four priorities of the national innovation agenda, plus supporting policy.

    The order here is the order on the home page.
    """

    YOUTH_EDUCATION = "jeugd-onderwijs", _("Youth & education")
    PARTICIPATION = "participatie", _("Participation & self-reliance")
    PERSONAL_DEVELOPMENT = "persoonlijke-ontwikkeling", _("Personal development")
    CHANGE = "verandering", _("Change and broadening of the classic library")
    SUPPORTING_POLICY = "flankerend-beleid", _("Supporting policy")


class CommunityStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MERGED = "merged", _("Merged")
    DISSOLVED = "dissolved", _("Dissolved")


class CommunityIndexPage(Page):
    """The parent of every community page."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["communities.CommunityPage"]
    max_count = 1

    class Meta:
        verbose_name = _("community index")

    def get_context(self, request, *args, **kwargs):
        from communities.selectors import communities_by_priority

        context = super().get_context(request, *args, **kwargs)
        context["priority_groups"] = communities_by_priority()
        return context


class CommunityPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "communities.CommunityPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CommunityBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title")
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"]
    )
    quote = blocks.BlockQuoteBlock(label=_("Quote"))


class CommunityPage(Page):
    """A thematic community of practice. The page title is the community's name."""

    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("The number the national agenda gave this community.")
    )
    priority = models.CharField(_("priority"), max_length=32, choices=Priority.choices)
    summary = models.TextField(
        _("summary"),
        max_length=500,
        help_text=_("One or two sentences: what the community works on and for whom."),
    )
    body = StreamField(CommunityBodyBlock(), blank=True, verbose_name=_("body"))
    tags = ClusterTaggableManager(
        through=CommunityPageTag, blank=True, verbose_name=_("themes")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CommunityStatus.choices, default=CommunityStatus.ACTIVE
    )
    start_date = models.DateField(_("start date"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("number"), FieldPanel("priority"), FieldPanel("start_date")],
            heading=_("Place in the agenda"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("tags"),
        InlinePanel("former_names", label=_("Former names")),
    ]
    # Status changes only through the lifecycle (merge, dissolve), never by hand.
    settings_panels = Page.settings_panels

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("priority"),
        index.FilterField("status"),
        index.FilterField("number"),
    ]

    parent_page_types = ["communities.CommunityIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    @property
    def is_active(self) -> bool:
        return self.status == CommunityStatus.ACTIVE

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tags"] = list(self.tags.all())
        context["former_names"] = list(self.former_names.all())
        return context


class CommunityFormerName(Orderable):
    """A name the community carried before (the agenda renamed several)."""

    page = ParentalKey(CommunityPage, on_delete=models.CASCADE, related_name="former_names")
    name = models.CharField(_("name"), max_length=255)
    until = models.DateField(_("used until"), null=True, blank=True)

    panels = [FieldPanel("name"), FieldPanel("until")]

    class Meta(Orderable.Meta):
        verbose_name = _("former name")
        verbose_name_plural = _("former names")

    def __str__(self):
        return self.name
