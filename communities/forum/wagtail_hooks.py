"""The Wagtail admin's bulk "set active state" for users updates the rows without
save(), so the post_save announcement in signals.py does not fire: close the
sockets of the accounts it deactivated here."""

from wagtail import hooks

from communities.forum.broadcast import close_sockets_on_commit


@hooks.register("after_bulk_action")
def close_sockets_of_deactivated_accounts(request, action_type, objects, action_class_instance):
    if action_type != "set_active_state":
        return
    if action_class_instance.cleaned_form.cleaned_data["mark_as_active"]:
        return
    for user in objects:
        close_sockets_on_commit(user.pk)
