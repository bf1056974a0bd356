from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def label_tag_fields():
    """Wagtail's tag field types into an unlabelled input: static/js/admin_tag_label.js
    gives it the field's label (a CSP-safe file, no inline script)."""
    return format_html('<script src="{}" defer></script>', static("js/admin_tag_label.js"))
