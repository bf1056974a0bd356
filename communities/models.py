from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TagBase, TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from communities.admin_forms import CommunityPageForm, theme_too_long
from communities.ownership import CommunityOwned, OwnershipPolicy, end_on, not_ended
from communities.routes import registered_routes
from communities.terms import DatedQuerySet, Role
from cop_platform.sanitize import one_line


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
    # Born of a merge or split that was undone: unpublished, kept for the history.
    UNDONE = "undone", _("Undone")


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
    lifecycle_exempt = "a page's own tags, part of the page"

    content_object = ParentalKey(
        "communities.CommunityPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CommunityBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title")
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"]
    )
    quote = blocks.BlockQuoteBlock(label=_("Quote"))


class CommunityPage(RoutablePageMixin, Page):
    """A thematic community of practice. The page title is the community's name.

    Memberships, moderation, the forum and the to-do list are plain models
    served below the page through routes that their apps register
    (communities.routes).
    """

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
    tags = ClusterTaggableManager(through=CommunityPageTag, blank=True, verbose_name=_("themes"))
    status = models.CharField(
        _("status"), max_length=16, choices=CommunityStatus.choices, default=CommunityStatus.ACTIVE
    )
    start_date = models.DateField(_("start date"))
    archived_on = models.DateField(_("archived on"), null=True, blank=True, editable=False)
    archive_reason = models.TextField(_("why it ended"), blank=True, editable=False)

    # Written only by communities.lifecycle; never part of a page revision (publishing
    # or reverting an old revision must not revive an archive).
    LIFECYCLE_FIELDS = ("status", "archived_on", "archive_reason")

    content_panels = Page.content_panels + [
        # Shown, never edited here: the status changes only through the
        # lifecycle (merge, split, dissolve), see with_content_json.
        FieldPanel(
            "status",
            read_only=True,
            help_text=_(
                "Only a network coordinator changes this, on the community's history "
                "page (merge, split, dissolve). The coordinator who first publishes a "
                "community becomes its moderator."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("number"), FieldPanel("priority"), FieldPanel("start_date")],
            heading=_("Place in the agenda"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("tags"),
        InlinePanel("former_names", label=_("Former names")),
    ]
    # Status changes only through the lifecycle (LIFECYCLE_FIELDS), never by hand.
    settings_panels = Page.settings_panels
    base_form_class = CommunityPageForm

    def clean(self):
        # One line, whichever way the title comes in: the admin form, the admin's
        # "copy page" (Page.save runs full_clean), the lifecycle's new names.
        self.title = one_line(self.title)
        super().clean()

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        # The beginning of a word finds the community too ("lees" → "leeslijn"):
        # the title through Page.search_fields, the summary and themes here.
        index.AutocompleteField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name"), index.AutocompleteField("name")]),
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

    def with_content_json(self, content):
        """A revision's content with the live lifecycle state of the community.

        The status is not part of a page's revisions (as Wagtail keeps `live`
        and `locked` out of them): publishing an old draft or reverting to an
        old revision must never revive an archived community, nor archive an
        active one.
        """
        obj = super().with_content_json(content)
        for name in self.LIFECYCLE_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj

    def subpage_url(self, name: str, *args) -> str:
        """The site-relative URL of one of the routes below, e.g. ("todo_item", 3)."""
        return self.url + self.reverse_subpage(name, args=args)

    def get_context(self, request, *args, **kwargs):
        from communities import permissions
        from communities.forum.selectors import thread_count
        from communities.selectors import own_membership
        from cop_platform.page_cache import shared_page_data

        context = super().get_context(request, *args, **kwargs)
        user = request.user
        # The same for every reader: from the public pages' cache (members too).
        context.update(shared_page_data(request, f"community:{self.pk}", self._shared_context))
        context.update(
            own_membership=own_membership(user, self),
            can_apply=permissions.can_apply(user, self),
            can_moderate=permissions.can_decide_applications(user, self),
            can_view_members=permissions.can_view_member_list(user, self),
            can_manage_moderators=permissions.can_manage_moderators(user, self)
            or permissions.can_hand_over(user, self),
            # New threads do not end the public pages' cache (forum.Thread is not
            # in PUBLIC_MODELS): counted for each member's request.
            forum_thread_count=thread_count(self),
            can_read_forum=permissions.can_read_forum(user, self),
            can_run_lifecycle=permissions.can_run_lifecycle(user),
            can_contact_moderators=permissions.can_contact_moderators(user, self),
        )
        return context

    def _shared_context(self) -> dict:
        """The parts of the page that do not depend on who reads it (the readers'
        own facts and rights are in get_context); invalidated with the public pages
        (cop_platform/page_cache.py), so every write they show must end those."""
        from communities.lifecycle.selectors import community_lineage
        from communities.selectors import community_people, number_labels
        from todo_lists.selectors import todo_preview

        return {
            "tags": list(self.tags.all()),
            "lineage": community_lineage(self),
            "number_label": number_labels([self])[self.pk],
            "people": community_people(self),
            "todo_preview": todo_preview(self),
        }

    # --- routes -------------------------------------------------------------
    # Each app registers the routes it serves below a community page from its
    # AppConfig.ready() (communities.routes), so this module imports no views.

    @classmethod
    def get_subpage_urls(cls):
        return super().get_subpage_urls() + registered_routes()


class CommunityFormerName(Orderable):
    """A name the community carried before (the agenda renamed several)."""

    page = ParentalKey(CommunityPage, on_delete=models.CASCADE, related_name="former_names")
    lifecycle_exempt = "part of the page: its own lineage"

    name = models.CharField(_("name"), max_length=255)
    until = models.DateField(_("used until"), null=True, blank=True)

    panels = [FieldPanel("name"), FieldPanel("until")]

    class Meta(Orderable.Meta):
        verbose_name = _("former name")
        verbose_name_plural = _("former names")

    def __str__(self):
        return self.name

    def clean(self):
        self.name = one_line(self.name)


class Topic(TagBase):
    """The shared vocabulary of topics that haal and breng answers are tagged with,
    so that what one member asks for can be matched with what another brings."""

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def clean(self):
        # A topic is a theme of the haal/breng vocabulary: the same one-line,
        # bounded rule (communities.admin_forms).
        self.name = one_line(self.name)
        if error := theme_too_long(self.name):
            raise ValidationError({"name": error})


class MembershipState(models.TextChoices):
    PENDING = "pending", _("Pending")
    NEEDS_INFO = "needs_info", _("Question asked")
    ACTIVE = "active", _("Member")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LEFT = "left", _("Left")
    ENDED = "ended", _("Ended by a moderator")
    # Set only by the lifecycle: folded into the person's membership of the
    # community it merged into; or ended because the community was dissolved.
    MERGED = "merged", _("Merged into another membership")
    COMMUNITY_ENDED = "community_ended", _("Ended: the community was dissolved")


# States in which a person is (or may become) part of the community; at most one
# such membership per person and community.
OPEN_MEMBERSHIP_STATES = (
    MembershipState.PENDING,
    MembershipState.NEEDS_INFO,
    MembershipState.ACTIVE,
)


# The agenda asks what people want to get "en/of" what they can bring: at least
# one of the two answers, not necessarily both (Membership.clean, IntakeForm).
HAAL_OR_BRENG_REQUIRED = _(
    "Write what you want to get from this community, what you can bring, or both."
)


def has_haal_or_breng(haal: str, breng: str) -> bool:
    return bool((haal or "").strip() or (breng or "").strip())


class Membership(CommunityOwned):
    """A person's application to, and membership of, one community.

    The haal/breng answers are kept for the whole life of the membership: the
    moderators keep seeing them after acceptance. State changes only through
    communities.services.memberships, which records a MembershipTransition.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    # The agenda asks what people want to get "en/of" what they can bring: one of
    # the two may stay empty, not both (membership_apply refuses that).
    haal = models.TextField(_("what I want to get (haal)"), max_length=2000, blank=True)
    breng = models.TextField(_("what I can bring (breng)"), max_length=2000, blank=True)
    haal_topics = models.ManyToManyField(
        Topic, blank=True, related_name="haal_memberships", verbose_name=_("haal topics")
    )
    breng_topics = models.ManyToManyField(
        Topic, blank=True, related_name="breng_memberships", verbose_name=_("breng topics")
    )
    self_role = models.CharField(
        _("role I see for myself"), max_length=16, choices=Role.choices, blank=True
    )
    state = models.CharField(
        _("state"), max_length=16, choices=MembershipState.choices, default=MembershipState.PENDING
    )
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)
    joined_at = models.DateTimeField(_("member since"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # The latest decision text the applicant sees: a decline reason, a question,
    # or why a moderator ended the membership. The full history is in transitions.
    moderator_message = models.TextField(_("message from the moderators"), blank=True)

    # One open membership per person (a DB constraint below); duplicates fold into
    # the earliest, keeping the earliest dates, the furthest state and all answers.
    ownership = OwnershipPolicy(
        conflict_key=("user_id",),
        conflict_rows=lambda on: models.Q(state__in=OPEN_MEMBERSHIP_STATES),
        survivor_order=("joined_at", "applied_at", "pk"),
        reconcile={
            "applied_at": "min",
            "joined_at": "min",
            "state": ("rank", ["active", "needs_info", "pending"]),
            "haal": "unite_text",
            "breng": "unite_text",
            "organisation_id": "first_set",
            "self_role": "first_set",
        },
        unite_m2m=("haal_topics", "breng_topics"),
        retire_values=lambda on: {"state": "merged", "ended_at": timezone.now()},
        ended_rows=lambda on: models.Q(state__in=OPEN_MEMBERSHIP_STATES),
        end_values=lambda on: {"state": "community_ended", "ended_at": timezone.now()},
        split_choice="member_user_ids",
        split_choice_field="user_id",
        split_copy_choice="shared_member_user_ids",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=models.Q(state__in=["pending", "needs_info", "active"])
                & models.Q(retired_into__isnull=True),
                name="one_open_membership_per_community",
            )
        ]
        indexes = [models.Index(fields=["community", "state"])]

    def __str__(self):
        return f"{self.user} – {self.community_id} ({self.state})"

    def clean(self):
        if not has_haal_or_breng(self.haal, self.breng):
            raise ValidationError({"haal": HAAL_OR_BRENG_REQUIRED})

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_MEMBERSHIP_STATES

    @property
    def is_undecided(self) -> bool:
        """An application the moderators have not decided yet: the applicant may
        still answer a question or withdraw it."""
        return self.state in (MembershipState.PENDING, MembershipState.NEEDS_INFO)


class MembershipTransition(models.Model):
    """Who moved a membership from which state to which, when and why."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=16, choices=MembershipState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=MembershipState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")

    def __str__(self):
        return f"{self.from_state or '—'} → {self.to_state}"

    @property
    def message_kind(self) -> str:
        """What the note is, as the conversation on an application names it."""
        kinds = {
            MembershipState.NEEDS_INFO: _("Question"),
            MembershipState.PENDING: _("Answer"),
            MembershipState.ACTIVE: _("Welcome message"),
            MembershipState.DECLINED: _("Reason for declining"),
            MembershipState.ENDED: _("Reason for ending the membership"),
        }
        return kinds.get(self.to_state, _("Message"))


class Moderatorship(CommunityOwned):
    """A dated term as moderator. Current when start_date <= today < end_date:
    end_date is the first day the person no longer moderates (empty: open-ended;
    equal to start_date: a term ended before it began)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="moderatorships",
        verbose_name=_("moderator"),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appointed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DatedQuerySet.as_manager()

    # Terms of one person fold into one spanning both; the person's terms go along
    # when their membership moves in a split.
    ownership = OwnershipPolicy(
        conflict_key=("user_id",),
        conflict_rows=not_ended,
        survivor_order=("start_date", "pk"),
        reconcile={"start_date": "min", "end_date": "max_or_open"},
        retire_values=end_on,
        ended_rows=not_ended,
        end_values=end_on,
        split_follows_person="user_id",
    )

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("moderatorship")
        verbose_name_plural = _("moderatorships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="moderatorship_ends_after_start",
            ),
            # Terms of one person never overlap (the services refuse it); so at most
            # one is open-ended. A bulk move cannot break this one.
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=models.Q(end_date__isnull=True) & models.Q(retired_into__isnull=True),
                name="one_open_ended_term_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.community_id}"

    @property
    def has_ended(self) -> bool:
        """Over: ended today or earlier, or ended before it began (end_date == start_date)."""
        return self.end_date is not None and (
            self.end_date <= timezone.localdate() or self.end_date == self.start_date
        )

    def is_current(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.start_date <= today and (self.end_date is None or today < self.end_date)


# The lifecycle's models live in their own package; imported here so Django finds them.
from communities.lifecycle.models import (  # noqa: E402, F401
    LifecycleEvent,
    LifecycleKind,
    Provenance,
    ProvenanceAction,
)
