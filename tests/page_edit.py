"""What an editor's browser posts to Wagtail's page edit view: the edit form as it opens
(the page's latest revision), with the fields the editor changed, and the button pressed.
Tests then go through the real view (`/admin/pages/<id>/edit/`), its validation and its
publish action, instead of calling model methods an editor never calls."""

from django import forms
from wagtail.blocks.base import BlockWidget
from wagtail.test.utils.form_data import nested_form_data


def edit_url(page):
    return f"/admin/pages/{page.pk}/edit/"


def edit_form_data(page, user, changes=None, *, action="action-publish"):
    """POST data for the edit view of `page`, as `user` opens it, with `changes` (posted
    names -> posted values, nested values as for `nested_form_data`). A StreamField that
    is not empty must be given in `changes`."""
    page = page.specific.get_latest_revision_as_object()
    form_class = page.get_edit_handler().get_form_class()
    form = form_class(instance=page, parent_page=page.get_parent(), for_user=user)
    data = {}
    _add_form(data, form)
    for formset in form.formsets.values():
        _add_form(data, formset.management_form)
        for child in formset.forms:
            _add_form(data, child)
    changed = nested_form_data(changes or {})
    for key in list(data):
        # A changed StreamField or formset replaces all of its posted keys.
        if any(key == name or key.startswith(f"{name}-") for name in (changes or {})):
            del data[key]
    data.update(changed)
    if action:
        data[action] = action.removeprefix("action-")
    return data


def _add_form(data, form):
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, BlockWidget):
            if bound.value():
                continue  # must be given in `changes`
            data[f"{bound.html_name}-count"] = "0"
            continue
        value = bound.value()
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        formatted = widget.format_value(value)
        if isinstance(formatted, list):  # select widgets
            data[bound.html_name] = [str(item) for item in formatted if item is not None]
        else:
            data[bound.html_name] = "" if formatted is None else str(formatted)
