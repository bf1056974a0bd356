"""The single answer to "may this user do X in this community".

Views, consumers, selectors and services ask here and nowhere else. Every
function takes the user first and is cheap: the facts it needs (open
memberships, current moderatorships and managerships, coordinator or not, admin
access) are read together in one query and cached per request on the user object
(`_load_facts`).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, F, Q, Value
from django.http import Http404

from communities.models import (
    OPEN_MEMBERSHIP_STATES,
    CommunityPage,
    Membership,
    MembershipState,
    Moderatorship,
)

COORDINATORS_GROUP = "Netwerkcoördinatoren"


def is_coordinator(user) -> bool:
    """Network coordinators see and steer everything; superusers count as coordinators."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_cop_is_coordinator"):
        _load_facts(user)
    return user._cop_is_coordinator


def may_open_admin(user) -> bool:
    """Whether Wagtail's admin (and so its user bar on the site's pages) is open to
    the user. Only a shortcut for the page header: for everyone it says yes to,
    Wagtail asks Django's permission system itself; for the others (most members)
    the answer came with the user's other facts, in the same query."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_cop_may_open_admin"):
        _load_facts(user)
    return user._cop_may_open_admin


def coordinators_q() -> Q:
    """`is_coordinator` as a filter on users (for lists of coordinators): the same
    definition, so the two cannot drift apart."""
    return Q(is_superuser=True) | Q(groups__name=COORDINATORS_GROUP)


_FACTS = (
    "_cop_is_coordinator",
    "_cop_moderated_ids",
    "_cop_membership_states",
    "_cop_may_open_admin",
)
_MANAGED = "_cop_managed_org_ids"


def _facts_query(user):
    """Rows (fact, id, detail): the user's open memberships (community, state),
    current moderatorships (community), current managerships (organisation),
    membership of the coordinators' group and admin access. One UNION ALL, so that
    a page asking any of these (every member page does: the header needs three)
    pays one round trip to the database for all of them."""
    from members.models import Managership

    def rows(queryset, fact, target, detail=None):
        return (
            queryset.order_by()
            .annotate(
                fact=Value(fact, output_field=CharField()),
                target=F(target),
                detail=F(detail) if detail else Value("", output_field=CharField()),
            )
            .values_list("fact", "target", "detail")
        )

    return rows(
        Membership.objects.filter(user=user, state__in=OPEN_MEMBERSHIP_STATES),
        "membership",
        "community_id",
        "state",
    ).union(
        rows(Moderatorship.objects.current().filter(user=user), "moderator", "community_id"),
        rows(Managership.objects.current().filter(user=user), "manager", "organisation_id"),
        rows(user.groups.filter(name=COORDINATORS_GROUP), "coordinator", "pk"),
        rows(_admin_access_permissions(user), "admin", "pk"),
        all=True,
    )


def _admin_access_permissions(user):
    """Wagtail's "access the admin" permission, given to the user or to one of
    their groups (Django's ModelBackend, which allauth's backend extends, knows no
    other way to grant it)."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        codename="access_admin", content_type__app_label="wagtailadmin"
    ).filter(Q(user=user) | Q(group__user=user))


def _load_facts(user) -> None:
    """Cache every fact of the user on the user object (one query, see _facts_query)."""
    facts = {"membership": {}, "moderator": set(), "manager": set()}
    facts |= {"coordinator": set(), "admin": set()}
    for fact, target, detail in _facts_query(user):
        if fact == "membership":
            facts["membership"][target] = detail
        else:
            facts[fact].add(target)
    user._cop_membership_states = facts["membership"]
    user._cop_moderated_ids = facts["moderator"]
    user._cop_is_coordinator = bool(facts["coordinator"])
    user._cop_may_open_admin = bool(facts["admin"])
    setattr(user, _MANAGED, facts["manager"])


def _moderated_ids(user) -> set[int]:
    """Ids of the communities in which the user is a current moderator (cached on the user)."""
    if not hasattr(user, "_cop_moderated_ids"):
        _load_facts(user)
    return user._cop_moderated_ids


def _membership_states(user) -> dict[int, str]:
    """Community id → state of the user's open membership there (cached on the user)."""
    if not hasattr(user, "_cop_membership_states"):
        _load_facts(user)
    return user._cop_membership_states


def forget(user) -> None:
    """Drop the cached facts after a write that changes them."""
    for attr in (*_FACTS, _MANAGED):
        if hasattr(user, attr):
            delattr(user, attr)


def is_current_moderator(user, community: CommunityPage) -> bool:
    return user.is_authenticated and community.pk in _moderated_ids(user)


def is_active_member(user, community: CommunityPage) -> bool:
    return (
        user.is_authenticated
        and _membership_states(user).get(community.pk) == MembershipState.ACTIVE
    )


def open_membership_state(user, community: CommunityPage) -> str | None:
    if not user.is_authenticated:
        return None
    return _membership_states(user).get(community.pk)


# --- membership -------------------------------------------------------------


def can_apply(user, community: CommunityPage) -> bool:
    """Anyone logged in may apply to an active community they have no open membership of."""
    return (
        user.is_authenticated
        and community.is_active
        and open_membership_state(user, community) is None
    )


def can_act_on_own_membership(user, membership) -> bool:
    """Answer the moderators' question, withdraw an application, leave: only the
    person whose membership it is (whether the state allows it is the service's
    question)."""
    return user.is_authenticated and membership.user_id == user.pk


def can_decide_applications(user, community: CommunityPage) -> bool:
    """Accept, decline, ask, end memberships; see the queue, the answers and the balance."""
    return user.is_authenticated and (is_coordinator(user) or is_current_moderator(user, community))


def can_view_member_list(user, community: CommunityPage) -> bool:
    """The whole network may look in once logged in; visitors see counts only."""
    return user.is_authenticated


def can_view_profiles(user) -> bool:
    return user.is_authenticated


def can_edit_profile(user, person) -> bool:
    """Everyone edits their own profile, and only their own."""
    return user.is_authenticated and person.pk == user.pk


# --- moderators -------------------------------------------------------------


def can_contact_moderators(user, community: CommunityPage) -> bool:
    """Write to the moderators, the community's point of contact for questions:
    anyone logged in who is not a member or moderator of the (active) community.
    Members and moderators talk in the forum."""
    return (
        user.is_authenticated
        and community.is_active
        and not is_active_member(user, community)
        and not is_current_moderator(user, community)
    )


def can_manage_moderators(user, community: CommunityPage) -> bool:
    """Appoint and end moderatorships: coordinators only."""
    return is_coordinator(user) and community.is_active


def can_hand_over(user, community: CommunityPage) -> bool:
    """A current moderator may pass the role to a successor in one step."""
    return community.is_active and is_current_moderator(user, community)


# --- lifecycle --------------------------------------------------------------


def can_run_lifecycle(user) -> bool:
    """Merge, split, dissolve, rename and undo communities: network coordinators only."""
    return is_coordinator(user)


def can_view_lifecycle_history(user) -> bool:
    """What happened to communities is public history, like the pages themselves."""
    return True


def can_view_moderation_overview(user) -> bool:
    return is_coordinator(user)


def can_manage_organisations(user) -> bool:
    return is_coordinator(user)


# --- to-do lists ---------------------------------------------------------------
# The lists themselves are public (no check needed to read them). Archived
# (merged, dissolved) communities keep their lists readable but refuse writes.


def can_curate_todo(user, community: CommunityPage) -> bool:
    """Add, edit, reorder and close items; accept or decline proposals."""
    return (
        user.is_authenticated
        and community.is_active
        and (is_coordinator(user) or is_current_moderator(user, community))
    )


def can_propose_todo(user, community: CommunityPage) -> bool:
    """The whole network may propose items, member or not."""
    return user.is_authenticated and community.is_active


def can_comment_todo(user, community: CommunityPage) -> bool:
    """Comment on an item or make a need known: anyone logged in."""
    return user.is_authenticated and community.is_active


def can_view_todo_history(user, community: CommunityPage) -> bool:
    """Who changed what and when: for logged-in people (the network), not visitors."""
    return user.is_authenticated


# --- forum ------------------------------------------------------------------


def can_read_forum(user, community: CommunityPage) -> bool:
    """The whole network may read (and listen in on) every forum once logged in,
    archived communities included."""
    return user.is_authenticated and user.is_active


def can_search_forums(user) -> bool:
    """Search across every forum: whoever `can_read_forum` lets in (the answer is
    the same for every community; the results are still checked per community)."""
    return can_read_forum(user, None)


def can_post(user, community: CommunityPage, thread=None) -> bool:
    """Start a thread or reply: active members of an active community, in an
    unlocked thread. Locked threads and archived communities are read-only."""
    return (
        is_active_member(user, community)
        and community.is_active
        and not (thread is not None and thread.locked)
    )


def can_moderate_forum(user, community: CommunityPage) -> bool:
    """Hide and unhide posts, lock, pin and move threads."""
    return user.is_authenticated and (is_coordinator(user) or is_current_moderator(user, community))


def can_edit_post(user, post, *, now=None) -> bool:
    """Authors edit their own visible post within settings.FORUM_EDIT_WINDOW, while
    they may still post in its thread."""
    from django.conf import settings
    from django.utils import timezone

    now = now or timezone.now()
    thread = post.thread
    return (
        user.is_authenticated
        and post.author_id == user.pk
        and post.hidden_at is None
        and now - post.created_at <= settings.FORUM_EDIT_WINDOW
        and can_post(user, thread.community, thread)
    )


# --- managers, roles and self-test -----------------------------------------


def _managed_organisation_ids(user) -> set[int]:
    """Ids of the organisations the user currently manages (cached on the user)."""
    if not hasattr(user, _MANAGED):
        _load_facts(user)
    return getattr(user, _MANAGED)


def forget_managerships(user) -> None:
    """Drop the cached facts after a write that changes managerships."""
    forget(user)


def managed_organisation_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return _managed_organisation_ids(user)


def is_manager_of(user, organisation) -> bool:
    return (
        user.is_authenticated
        and organisation is not None
        and organisation.pk in _managed_organisation_ids(user)
    )


def is_manager(user) -> bool:
    return bool(managed_organisation_ids(user))


def can_manage_roles(user, organisation) -> bool:
    """Assign and end roles, set targets, record development agreements: the
    organisation's own managers only (coordinators look, managers steer)."""
    return is_manager_of(user, organisation)


def can_view_coverage(user, organisation) -> bool:
    """The organisation's coverage review: its managers and the network coordinators."""
    return is_manager_of(user, organisation) or is_coordinator(user)


def can_view_network(user) -> bool:
    """All organisations × all communities: network coordinators."""
    return is_coordinator(user)


def can_manage_managers(user) -> bool:
    return is_coordinator(user)


def can_edit_role_texts(user) -> bool:
    """The platform's role descriptions and self-test statements (Wagtail snippets):
    network coordinators only, and only their texts (never add or delete one)."""
    return is_coordinator(user)


def can_choose_pages(user) -> bool:
    """The Wagtail admin's page chooser lists every page under its draft title:
    only for people with a page permission (the editors' groups, superusers). A
    coordinator by group reaches the admin for the role texts alone and sees no
    drafts there (drafts are the editors')."""
    from wagtail.admin.auth import user_has_any_page_permission

    return user_has_any_page_permission(user)


def can_view_selftest_result(user, result) -> bool:
    """Self-test results are private. The member themself sees every result; the
    managers of the member's (current) organisation see a result only while it is
    shared with that organisation; nobody else does, not even a coordinator."""
    if not user.is_authenticated:
        return False
    if result.user_id == user.pk:
        return True
    if not result.is_shared:
        return False
    profile = getattr(result.user, "profile", None)
    if profile is None or profile.organisation_id != result.shared_with_id:
        return False
    return result.shared_with_id in _managed_organisation_ids(user)


def can_view_selftest_comparison(user, organisation) -> bool:
    """Whatever is derived from the self-test results shared with an organisation
    (best fit next to a role, match or mismatch, counts) reveals those results, so
    it follows their rule: the organisation's current managers, each result only
    while `can_view_selftest_result` allows it. Coordinators and superusers see the
    coverage but not this, not even as an empty column that betrays a result exists."""
    return is_manager_of(user, organisation)


def can_share_selftest_result(user, result) -> bool:
    """Share a result with one's managers, or stop sharing it: the member only."""
    return user.is_authenticated and result.user_id == user.pk


def can_view_agreement(user, agreement) -> bool:
    """The member it is about and the current managers of its organisation."""
    return user.is_authenticated and (
        agreement.user_id == user.pk or agreement.organisation_id in _managed_organisation_ids(user)
    )


def can_confirm_agreement(user, agreement) -> bool:
    """Confirm a recorded development agreement: the member it is about only."""
    return user.is_authenticated and agreement.user_id == user.pk


# --- the organisation's team: why, examples, workshop, koffer (issue 15) ------


def is_team_member(user, organisation) -> bool:
    """The organisation's people: whoever names it as their organisation on their
    profile (the same people a manager records agreements with)."""
    if not user.is_authenticated or organisation is None:
        return False
    profile = getattr(user, "profile", None)
    return profile is not None and profile.organisation_id == organisation.pk


def can_view_team(user, organisation) -> bool:
    """The team page (why, the network's examples, the workshop agenda): the
    organisation's managers and people, and the network coordinators, who see
    the coverage too."""
    return (
        is_manager_of(user, organisation)
        or is_team_member(user, organisation)
        or is_coordinator(user)
    )


def can_edit_team(user, organisation) -> bool:
    """Write the why, edit the koffer's categories, start a koffer round, enter the
    team's agreed scores and action points: the organisation's own managers."""
    return is_manager_of(user, organisation)


def can_view_koffer(user, organisation) -> bool:
    """The team's suitcase (the spread per category, never who gave what): the
    organisation's managers and people. Coordinators do not: it is the team's
    own conversation."""
    return is_manager_of(user, organisation) or is_team_member(user, organisation)


def can_fill_koffer(user, koffer_round) -> bool:
    """Divide one's points: the organisation's people, in its latest round only
    (an earlier round is the record the next one is compared with)."""
    from teams.models import KofferRound

    if not is_team_member(user, koffer_round.organisation):
        return False
    latest = KofferRound.objects.filter(organisation_id=koffer_round.organisation_id).first()
    return latest is not None and latest.pk == koffer_round.pk


def can_view_koffer_scores(user, organisation) -> bool:
    """Every team member's own points, by name: the organisation's managers only
    (each member sees their own when filling in; the team sees the spread)."""
    return is_manager_of(user, organisation)


def require(allowed: bool, *, hide: bool = False) -> None:
    """Services and views call this with the answer of one of the questions above:
    a refusal becomes PermissionDenied (403, the Dutch error page). With `hide`, for
    an object whose existence is private or that is not there for this person (an
    application of another community, a membership in another state), the refusal
    is a 404 instead, which does not tell that it exists."""
    if not allowed:
        raise Http404 if hide else PermissionDenied
