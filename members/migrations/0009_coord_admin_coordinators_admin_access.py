"""The network coordinators' group, with access to the Wagtail admin.

Coordinators edit the platform's role descriptions and self-test statements there
(members/wagtail_hooks.py RoleTextPolicy decides that from group membership, not
from model permissions). Without `wagtailadmin.access_admin` Wagtail refuses them
at the door, so the group carries that one permission and nothing else: no page
permissions (GroupPagePermission), no collection permissions, so no page explorer,
documents or images. The group name is copied here (communities.permissions
COORDINATORS_GROUP): a migration must not change when the code does.
"""

from django.db import migrations

COORDINATORS_GROUP = "Netwerkcoördinatoren"


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )


def revoke(apps, schema_editor):
    """The group itself stays: its members are the network's coordinators."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=COORDINATORS_GROUP):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="wagtailadmin", codename="access_admin"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_merge_i15_lessons_i15_member"),
        # Creates the access_admin permission (and its content type).
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
