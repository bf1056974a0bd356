from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin
from wagtail.search import index

from communities.ownership import CommunityOwned, OwnershipPolicy, end_on, not_ended
from communities.terms import DatedQuerySet, Role
from cop_platform.sanitize import one_line
from members.activity import ActivityKind

# How the platform names a person whose account is gone: erased by themselves (the
# row stays, see User.erased_at) or detached from what they wrote (author set to
# None, as the forum does on erasure). One label, on every page and in every e-mail.
REMOVED_MEMBER = _("removed member")


def name_of(user) -> str:
    """The name to show for the author, owner or actor `user`, who may be gone (None)."""
    return user.display_name if user is not None else str(REMOVED_MEMBER)


class User(AbstractUser):
    """The platform's user. People log in with their e-mail address (allauth);
    the username is generated and never shown."""

    # Set when the person erased their account: the row stays (others' contributions
    # point to it) but holds no personal data and shows as "removed member".
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        if self.erased_at is not None:
            return str(REMOVED_MEMBER)
        profile = getattr(self, "profile", None)
        if profile is not None and profile.display_name:
            return profile.display_name
        return self.get_full_name() or self.email.split("@")[0]

    def __str__(self):
        # Wherever a person is named without asking for display_name (forms, admin
        # choosers): the generated username means nothing to anyone.
        return self.display_name


class OrganisationKind(models.TextChoices):
    PUBLIC_LIBRARY = "openbare-bibliotheek", _("Public library")
    POI = "poi", _("Provincial support organisation (POI)")
    KB = "kb", _("National library (KB)")
    EDUCATION = "onderwijs", _("Education")
    SOCIAL_DOMAIN = "sociaal-domein", _("Social domain")
    COMPANY = "marktpartij", _("Company")
    OTHER = "overig", _("Other")


class Province(models.TextChoices):
    DRENTHE = "drenthe", "Drenthe"
    FLEVOLAND = "flevoland", "Flevoland"
    FRIESLAND = "friesland", "Fryslân"
    GELDERLAND = "gelderland", "Gelderland"
    GRONINGEN = "groningen", "Groningen"
    LIMBURG = "limburg", "Limburg"
    NOORD_BRABANT = "noord-brabant", "Noord-Brabant"
    NOORD_HOLLAND = "noord-holland", "Noord-Holland"
    OVERIJSSEL = "overijssel", "Overijssel"
    UTRECHT = "utrecht", "Utrecht"
    ZEELAND = "zeeland", "Zeeland"
    ZUID_HOLLAND = "zuid-holland", "Zuid-Holland"
    NATIONAL = "landelijk", _("National")


class Organisation(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    province = models.CharField(_("province"), max_length=32, choices=Province.choices)
    website = models.URLField(_("website"), blank=True)
    # The reischeque (members/reischeque.py): where the organisation wants its people
    # to travel in the communities, printed on every reischeque; and the questions
    # for the development conversation (one a line; empty = the platform's default
    # set). Both written by the organisation's managers.
    travel_goal = models.TextField(_("travel goal"), max_length=1000, blank=True)
    reischeque_questions = models.TextField(
        _("questions for the development conversation"), max_length=3000, blank=True
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def clean(self):
        # One line, like every name: the Wagtail snippet form and any service agree.
        self.name = one_line(self.name)


class FollowEmailMode(models.TextChoices):
    """How a person hears about new posts in the forum threads they follow."""

    IMMEDIATELY = "immediately", _("An e-mail for every new post")
    DAILY = "daily", _("One e-mail a day")
    OFF = "off", _("No e-mail")


class MemberProfile(models.Model):
    """One per user, created at first login. Bio is plain text; it is rendered
    through cop_platform.sanitize."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("display name"), max_length=120)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("organisation"),
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    bio = models.TextField(_("about me"), max_length=2000, blank=True)
    language = models.CharField(
        _("language for e-mail"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    mention_email = models.BooleanField(
        _("e-mail me when someone mentions me in the forum"), default=True
    )
    follow_email_mode = models.CharField(
        _("e-mail about threads I follow"),
        max_length=16,
        choices=FollowEmailMode.choices,
        default=FollowEmailMode.IMMEDIATELY,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")

    def __str__(self):
        return self.display_name


class Managership(models.Model):
    """A person manages an organisation's people in the communities (assigned by a
    coordinator). Current while start_date <= today < end_date."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="managerships",
        verbose_name=_("manager"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="managerships",
        verbose_name=_("organisation"),
    )
    start_date = models.DateField(_("from"), default=timezone.localdate)
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

    class Meta:
        ordering = ["organisation__name", "start_date", "pk"]
        verbose_name = _("managership")
        verbose_name_plural = _("managerships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="managership_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation}"


class RoleAssignment(CommunityOwned):
    """One person holds one role for their organisation in one community, for a
    period, with the hours per week the organisation makes available."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    start_date = models.DateField(_("from"), default=timezone.localdate)
    end_date = models.DateField(_("until"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, default=0
    )
    contribution = models.CharField(_("contribution"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DatedQuerySet.as_manager()

    ownership = OwnershipPolicy(
        conflict_key=("user_id", "organisation_id", "role"),
        conflict_rows=not_ended,
        survivor_order=("start_date", "pk"),
        reconcile={
            "start_date": "min",
            "end_date": "max_or_open",
            "hours_per_week": "max",
            "contribution": "first_set",
        },
        retire_values=end_on,
        ended_rows=not_ended,
        end_values=end_on,
        split_follows_person="user_id",
    )

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="role_assignment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_week__gte=0) & models.Q(hours_per_week__lte=40),
                name="role_assignment_hours_in_range",
            ),
            # One current role per person, organisation and role (the service
            # refuses a second); at most one such role is open-ended.
            models.UniqueConstraint(
                fields=["user", "organisation", "role", "community"],
                condition=models.Q(end_date__isnull=True) & models.Q(retired_into__isnull=True),
                name="one_open_ended_role_per_person",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "community"])]

    def __str__(self):
        return f"{self.user} – {self.role} – {self.community_id}"


class Target(CommunityOwned):
    """What an organisation aims for in a community by a date: one per organisation
    and community (older ones, met in a merge, are retired into the newest)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("organisation"),
    )
    # Lesson 4 of the pilot ("X-aantal leden, X-aantal activiteiten"): the members
    # the community reaches (all its active members, whatever their organisation;
    # not the organisation's own staff, which lesson 6 keeps at about three) and
    # the activities the organisation's people contribute, of `activity_kind`.
    target_members = models.PositiveSmallIntegerField(_("members the community reaches"))
    target_activities = models.PositiveSmallIntegerField(
        _("activities your organisation contributes")
    )
    activity_kind = models.CharField(
        _("activities that count"),
        max_length=16,
        choices=ActivityKind.choices,
        default=ActivityKind.ALL,
    )
    deadline = models.DateField(_("deadline"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    # The newest target per organisation counts; older ones fold into it. Targets
    # belong to the community as a whole, so they stay with the source in a split.
    ownership = OwnershipPolicy(
        conflict_key=("organisation_id",),
        conflict_rows=lambda on: Q(),
        survivor_order=("-updated_at", "-pk"),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "community"],
                condition=Q(retired_into__isnull=True),
                name="one_target_per_organisation",
            )
        ]

    def __str__(self):
        return f"{self.organisation} – {self.community_id}"


class SelfTestResult(models.Model):
    """One completed self-test. Private to the member; visible to the managers of
    the organisation it was shared with, while shared (see permissions)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="selftest_results",
        verbose_name=_("person"),
    )
    taken_at = models.DateTimeField(_("taken"), default=timezone.now)
    questionnaire_version = models.PositiveSmallIntegerField(default=1)
    answers = models.JSONField(_("answers"), default=dict)
    score_bouwer = models.PositiveSmallIntegerField(_("builder score"))
    score_verbinder = models.PositiveSmallIntegerField(_("connector score"))
    score_aanjager = models.PositiveSmallIntegerField(_("driver score"))
    best_fit = models.CharField(_("best fit"), max_length=16, choices=Role.choices)
    shared_with = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared with the managers of"),
    )
    shared_with_manager_at = models.DateTimeField(_("shared"), null=True, blank=True)
    share_revoked_at = models.DateTimeField(_("sharing revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-taken_at", "-pk"]
        verbose_name = _("self-test result")
        verbose_name_plural = _("self-test results")

    def __str__(self):
        return f"{self.user} – {self.taken_at:%Y-%m-%d}"

    @property
    def is_shared(self) -> bool:
        return self.shared_with_manager_at is not None and self.shared_with_id is not None

    @property
    def scores(self) -> dict[str, int]:
        return {
            Role.BOUWER: self.score_bouwer,
            Role.VERBINDER: self.score_verbinder,
            Role.AANJAGER: self.score_aanjager,
        }


class DevelopmentAgreement(models.Model):
    """The "reischeque": after a conversation, what the member will contribute in
    the coming period and how the organisation facilitates it, with a review date.
    Recorded by a manager; the member confirms it.

    The travel goal and the questions are copied from the organisation when the
    reischeque is recorded: a printed voucher shows what the conversation was
    about then, not what the organisation writes later."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="development_agreements",
        verbose_name=_("member"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="development_agreements",
        verbose_name=_("organisation"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    conversation_date = models.DateField(_("date of the conversation"))
    contribution = models.TextField(_("what the member will contribute"), max_length=2000)
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, default=0
    )
    training = models.TextField(_("training"), max_length=1000, blank=True)
    other_support = models.TextField(_("other support"), max_length=1000, blank=True)
    review_date = models.DateField(_("review date"))
    travel_goal = models.TextField(_("travel goal"), max_length=1000, blank=True)
    questions = models.TextField(_("questions for the conversation"), max_length=3000, blank=True)
    member_confirmed_at = models.DateTimeField(_("confirmed by the member"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review_date", "pk"]
        verbose_name = _("development agreement")
        verbose_name_plural = _("development agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_date__gte=models.F("conversation_date")),
                name="agreement_review_after_conversation",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_week__gte=0) & models.Q(hours_per_week__lte=40),
                name="agreement_hours_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.review_date}"


# --- the platform's own texts on the roles (lesson texts, editable) ------------
#
# The pilot names the three roles and the self-test but does not define them:
# the descriptions and the statements are the platform's own ("zo omschrijven
# wij de rollen"). Coordinators edit them as Wagtail snippets with history
# (RevisionMixin); a data migration seeds the defaults from members.selftest,
# which stay the fallback when a row is missing. The role of a statement and
# the role a description belongs to are fixed: scoring depends on them.


class RoleDescription(RevisionMixin, models.Model):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, unique=True)
    description = models.TextField(_("description (Dutch)"), max_length=600)
    description_en = models.TextField(_("description (English)"), max_length=600)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("role description")
        verbose_name_plural = _("role descriptions")

    def __str__(self):
        return str(Role(self.role).label)

    def clean(self):
        # Shown as plain text; one paragraph each.
        self.description = one_line(self.description)
        self.description_en = one_line(self.description_en)


class SelfTestStatement(RevisionMixin, models.Model):
    # Stored answers refer to the key (see members.selftest): never editable.
    key = models.CharField(_("code"), max_length=8, unique=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    text = models.CharField(
        _("statement text (Dutch)"),
        max_length=300,
        help_text=_(
            "Only the wording can change: the statement keeps its role, so self-test "
            "scores stay comparable. Describe concrete behaviour, in the first person."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("self-test statement")
        verbose_name_plural = _("self-test statements")

    def __str__(self):
        return f"{self.key}: {self.text}"

    def clean(self):
        self.text = one_line(self.text)
