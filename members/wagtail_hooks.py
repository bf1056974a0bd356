"""Coordinators manage organisations, and the platform's own texts on the roles
(role descriptions and self-test statements, with history), in the Wagtail admin.

The coordinators' group carries `wagtailadmin.access_admin` and nothing else
(members/migrations/0009): no page, document or image permissions, so Wagtail
shows them no explorer, documents or images; the page chooser, which Wagtail
opens to anyone in the admin, is emptied for them below.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from communities import permissions
from members.models import Organisation, RoleDescription, SelfTestStatement


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "kind", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name"]


register_snippet(OrganisationViewSet)


class RoleTextPolicy(BasePermissionPolicy):
    """Coordinators may view and change the texts (see permissions.can_edit_role_texts);
    nobody adds or deletes one: the set of roles and statements is fixed, because
    the self-test's scoring and the stored answers depend on it."""

    ALLOWED = frozenset({"view", "change"})

    def user_has_permission(self, user, action):
        return action in self.ALLOWED and permissions.can_edit_role_texts(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not self.ALLOWED.intersection(actions):
            return users.none()
        return users.filter(permissions.coordinators_q()).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


# Registered before the viewsets, which look the policy up by model.
register_permission_policy(RoleDescription, RoleTextPolicy(RoleDescription))
register_permission_policy(SelfTestStatement, RoleTextPolicy(SelfTestStatement))


class RoleDescriptionViewSet(SnippetViewSet):
    model = RoleDescription
    icon = "doc-full"
    menu_label = _("Role descriptions")
    list_display = ["__str__", "description", "updated_at"]
    panels = [
        FieldPanel("role", read_only=True),
        FieldPanel("description"),
        FieldPanel("description_en"),
    ]


class SelfTestStatementViewSet(SnippetViewSet):
    model = SelfTestStatement
    icon = "list-ul"
    menu_label = _("Self-test statements")
    list_display = ["key", "role", "text", "updated_at"]
    list_filter = ["role"]
    panels = [
        FieldPanel("key", read_only=True),
        FieldPanel("role", read_only=True),
        FieldPanel("text"),
    ]


class RoleTextsGroup(SnippetViewSetGroup):
    """One menu item: "Rollen en zelftest"."""

    items = (RoleDescriptionViewSet, SelfTestStatementViewSet)
    menu_icon = "doc-full"
    menu_label = _("Roles and self-test")
    menu_order = 210


register_snippet(RoleTextsGroup)


@hooks.register("construct_page_chooser_queryset")
def page_chooser_for_page_editors_only(pages, request):
    """The chooser (and its search) shows draft titles: nothing for people who
    edit no page, such as a coordinator by group."""
    return pages if permissions.can_choose_pages(request.user) else pages.none()
