"""The registration form as registrants see it, and the answers as they are stored.

Choice fields offer the translated wording but submit the source-language wording as the
value, so a Turkish or Urdu registrant's answer is stored exactly as an English one would
be. Name, email and consent are always asked; a hidden honeypot catches form-filling
robots; every field has a length bound."""

import uuid

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

MAX_SINGLE_LINE = 255
MAX_MULTI_LINE = 4000
HONEYPOT_FIELD = "website"
TOKEN_FIELD = "submission_token"
# Built-in answers, kept in their own columns rather than with the editors' questions.
BUILT_IN_FIELDS = ("name", "email", "consent", HONEYPOT_FIELD, TOKEN_FIELD)


def split_choices(text):
    """Wagtail's rule: one choice per line, or comma-separated on a single line."""
    lines = [line.strip().rstrip(",").strip() for line in (text or "").strip().splitlines()]
    if len(lines) > 1:
        return [line for line in lines if line]
    return [item.strip() for item in (text or "").split(",") if item.strip()]


class RegistrationBaseForm(BaseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in (HONEYPOT_FIELD, TOKEN_FIELD):
                continue
            # The error summary links to each field; each field names its help and error.
            described = []
            if field.help_text:
                described.append(f"{name}-help")
            if self.is_bound and name in self.errors:
                described.append(f"{name}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)

    def clean_submission_token(self):
        value = self.cleaned_data.get(TOKEN_FIELD)
        return value or uuid.uuid4()

    @property
    def is_spam(self):
        return bool(self.data.get(HONEYPOT_FIELD))

    def question_answers(self):
        """The editors' questions' answers, keyed by the synchronised answer keys."""
        return {
            key: value for key, value in self.cleaned_data.items() if key not in BUILT_IN_FIELDS
        }


class RegistrationFormBuilder(FormBuilder):
    """Builds a translated page's form with the source page's choice values."""

    def __init__(self, fields, source_fields=None, *, consent_label="", privacy_url=None):
        super().__init__(fields)
        self.source_fields = {field.translation_key: field for field in (source_fields or [])}
        self.consent_label = consent_label
        self.privacy_url = privacy_url

    @classmethod
    def for_page(cls, page, privacy_url=None):
        source = page.source_page()
        fields = list(page.get_form_fields())
        source_fields = fields if source.pk == page.pk else list(source.get_form_fields())
        return cls(fields, source_fields, consent_label=page.consent_text, privacy_url=privacy_url)

    def get_formatted_field_choices(self, field):
        labels = split_choices(field.choices)
        source = self.source_fields.get(field.translation_key)
        values = split_choices(source.choices) if source is not None else labels
        # A translation with fewer or more lines than the source falls back to the source
        # wording for the lines it lacks and drops extra lines: the values must exist.
        return [
            (value, labels[index] if index < len(labels) else value)
            for index, value in enumerate(values)
        ]

    def get_formatted_field_initial(self, field):
        source = self.source_fields.get(field.translation_key)
        labels = split_choices(field.default_value)
        choices = {label: value for value, label in self.get_formatted_field_choices(field)}
        return [choices.get(label, label) for label in labels] if source is not None else labels

    def create_singleline_field(self, field, options):
        options["max_length"] = MAX_SINGLE_LINE
        return forms.CharField(**options)

    def create_multiline_field(self, field, options):
        options["max_length"] = MAX_MULTI_LINE
        options.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        return forms.CharField(**options)

    def create_email_field(self, field, options):
        options["max_length"] = 254
        return forms.EmailField(**options)

    def create_url_field(self, field, options):
        options["max_length"] = 2000
        return forms.URLField(assume_scheme="https", **options)

    def create_number_field(self, field, options):
        options.setdefault("max_digits", 12)
        options.setdefault("decimal_places", 2)
        return forms.DecimalField(**options)

    def create_hidden_field(self, field, options):
        options["max_length"] = MAX_SINGLE_LINE
        options.setdefault("widget", forms.HiddenInput)
        return forms.CharField(**options)

    def get_field_options(self, field):
        options = super().get_field_options(field)
        if field.field_type in ("dropdown", "radio") and field.default_value:
            options["initial"] = self.get_formatted_field_initial(field)[0]
        return options

    @property
    def formfields(self):
        built_in = {
            "name": forms.CharField(
                label=_("Full name"),
                max_length=200,
                widget=forms.TextInput(attrs={"autocomplete": "name"}),
            ),
            "email": forms.EmailField(
                label=_("Email address"),
                max_length=254,
                help_text=_(
                    "We send your confirmation and a link to manage your registration here."
                ),
                widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
            ),
        }
        questions = super().formfields
        for key in BUILT_IN_FIELDS:
            # An editor's question may not shadow a built-in answer.
            questions.pop(key, None)
        consent_label = self.consent_label
        if self.privacy_url:
            consent_label = format_html(
                '{} <a href="{}">{}</a>',
                consent_label,
                self.privacy_url,
                _("Read the privacy notice."),
            )
        tail = {
            "consent": forms.BooleanField(
                label=consent_label,
                required=True,
                error_messages={"required": _("Please agree to the privacy notice to register.")},
            ),
            HONEYPOT_FIELD: forms.CharField(
                required=False,
                max_length=200,
                label=_("Leave this field empty"),
                widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
            ),
            TOKEN_FIELD: forms.UUIDField(required=False, widget=forms.HiddenInput),
        }
        return {**built_in, **questions, **tail}

    def get_form_class(self):
        return type("RegistrationForm", (RegistrationBaseForm,), self.formfields)
