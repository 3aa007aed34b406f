"""The registration form as registrants see it: `RegistrationFormBuilder` builds it from a
form page's questions, with the built-in fields, and cleans what is posted.

Choice fields offer the translated wording but submit the source-language wording as the
value, so a Turkish or Urdu registrant's answer is stored exactly as an English one would
be. Name, email and consent are always asked; a hidden honeypot catches form-filling
robots; every field has a length bound.

A question whose answer key (see answers.py) is one of the form's own field names
(`name`, `email`, `consent`, the honeypot, the submission token) is posted under another
name (`question_field_name()`), so it neither replaces the built-in field nor is dropped.

Free text. Control characters (Unicode Cc; newline and tab survive in multi-line answers
only) and bidi embedding/override/isolate controls (U+202A-U+202E, U+2066-U+2069) are
removed from every free-text answer and the name, and invisible characters are trimmed
from both ends; zero-width (non-)joiners inside words stay, as Urdu and Persian need them.
A name with no letter left is refused. Multiple-choice answers keep each choice once."""

import unicodedata
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

MAX_SINGLE_LINE = 255
MAX_MULTI_LINE = 4000
MAX_NAME = 200
HONEYPOT_FIELD = "website"
TOKEN_FIELD = "submission_token"
# On a form with online places: in person or online (`models.Attendance`).
ATTENDANCE_FIELD = "attendance"
# The form's own fields, kept in their own columns rather than with the editors' questions.
BUILT_IN_FIELDS = ("name", "email", ATTENDANCE_FIELD, "consent", HONEYPOT_FIELD, TOKEN_FIELD)
# A question whose answer key is a built-in field's name is posted under this prefix
# (no clean_name contains a hyphen).
QUESTION_FIELD_PREFIX = "question-"


def question_field_name(answer_key):
    """The form field name of the question whose answer key is `answer_key`: the key
    itself, unless that is one of the form's own fields (or looks like a renamed one)."""
    if answer_key in BUILT_IN_FIELDS or answer_key.startswith(QUESTION_FIELD_PREFIX):
        return QUESTION_FIELD_PREFIX + answer_key
    return answer_key


# Free text -----------------------------------------------------------------------------

BIDI_CONTROLS = "".join(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_CONTROLS = [chr(c) for c in range(0xA0) if unicodedata.category(chr(c)) == "Cc"]
# Single line: whitespace controls (tab, newlines, form feed …) become a space, the other
# controls and the bidi controls go. Multi-line: newline and tab stay.
SINGLE_LINE_TABLE = str.maketrans(
    {
        **{char: (" " if char.isspace() else None) for char in _CONTROLS},
        **dict.fromkeys(BIDI_CONTROLS),
        "\u2028": " ",
        "\u2029": " ",
    }
)
MULTI_LINE_TABLE = str.maketrans(
    {
        **{char: None for char in _CONTROLS if char not in "\n\t"},
        **dict.fromkeys(BIDI_CONTROLS),
        "\u2028": "\n",
        "\u2029": "\n",
    }
)


def _invisible(char):
    return char.isspace() or unicodedata.category(char) == "Cf"


def clean_text(value, *, multiline=False):
    """`value` without control characters or bidi controls, and without whitespace or
    invisible format characters (zero-width spaces, joiners, marks) at either end."""
    if value.isprintable() and not value[:1].isspace() and not value[-1:].isspace():
        return value  # nothing to do (no Cc, Cf, line separators or edge spaces)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = value.translate(MULTI_LINE_TABLE)
    else:
        value = value.translate(SINGLE_LINE_TABLE)
    start, end = 0, len(value)
    while start < end and _invisible(value[start]):
        start += 1
    while end > start and _invisible(value[end - 1]):
        end -= 1
    return value[start:end]


def has_letter(value):
    return any(unicodedata.category(char).startswith("L") for char in value)


class CleanTextMixin:
    """Cleans posted text (`clean_text()`) before the field's own parsing and checks, so
    that "required" and the length bound apply to what is stored. Text far beyond the
    length bound is left for that bound to refuse, uncleaned."""

    multiline = False
    drop_format_characters = False

    def to_python(self, value):
        if isinstance(value, str) and not (self.max_length and len(value) > 4 * self.max_length):
            value = clean_text(value, multiline=self.multiline)
            if self.drop_format_characters:
                value = "".join(c for c in value if unicodedata.category(c) != "Cf")
        return super().to_python(value)


class TextField(CleanTextMixin, forms.CharField):
    def __init__(self, *, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)


class NameField(TextField):
    """A person's name: it must keep at least one letter once cleaned."""

    default_error_messages = {"required": _("Enter your name.")}

    def validate(self, value):
        super().validate(value)
        if value and not has_letter(value):
            raise ValidationError(self.error_messages["required"], code="required")


class EmailAddressField(CleanTextMixin, forms.EmailField):
    # An address never holds invisible characters (zero-width spaces, marks …).
    drop_format_characters = True


class WebAddressField(CleanTextMixin, forms.URLField):
    drop_format_characters = True


class ChoiceListField(forms.MultipleChoiceField):
    """Checkboxes and multi-selects: each chosen value once, in the order sent. As every
    value must be one of the choices, the list is never longer than the choices."""

    def to_python(self, value):
        return list(dict.fromkeys(super().to_python(value)))


def split_choices(text):
    """Wagtail's rule: one choice per line, or comma-separated on a single line."""
    lines = [line.strip().rstrip(",").strip() for line in (text or "").strip().splitlines()]
    if len(lines) > 1:
        return [line for line in lines if line]
    return [item.strip() for item in (text or "").split(",") if item.strip()]


class DescribedFieldsMixin:
    """Each field names its help text and its error (`aria-describedby`), by the ids the
    shared field template (`forms_app/includes/field.html`) gives them, and says it is
    invalid; the error summary links to each field."""

    undescribed_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.undescribed_fields:
                continue
            described = []
            if field.help_text:
                described.append(f"{name}-help")
            if self.is_bound and name in self.errors:
                described.append(f"{name}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


class RegistrationBaseForm(DescribedFieldsMixin, BaseForm):
    # {form field name: answer key} of the editors' questions (set by the builder).
    answer_keys = {}
    undescribed_fields = (HONEYPOT_FIELD, TOKEN_FIELD)

    def clean_submission_token(self):
        value = self.cleaned_data.get(TOKEN_FIELD)
        return value or uuid.uuid4()

    @property
    def is_spam(self):
        return bool(self.data.get(HONEYPOT_FIELD))

    def question_answers(self):
        """The editors' questions' answers, keyed by the synchronised answer keys."""
        return {
            key: self.cleaned_data[name]
            for name, key in self.answer_keys.items()
            if name in self.cleaned_data
        }


def questions_of(page):
    """(the page's form fields, its source page's): a translation's choices take their
    values from the source's."""
    source = page.source_page()
    fields = list(page.get_form_fields())
    source_fields = fields if source.pk == page.pk else list(source.get_form_fields())
    return fields, source_fields


class RegistrationFormBuilder(FormBuilder):
    """Builds a translated page's form with the source page's choice values."""

    def __init__(
        self,
        fields,
        source_fields=None,
        *,
        consent_label="",
        privacy_url=None,
        attendance_choices=None,
    ):
        super().__init__(fields)
        self.source_fields = {field.translation_key: field for field in (source_fields or [])}
        self.consent_label = consent_label
        self.privacy_url = privacy_url
        # [(value, label)] on a form with online places, else None (no choice asked).
        self.attendance_choices = attendance_choices

    @classmethod
    def for_page(cls, page, privacy_url=None, questions=None):
        """The form of `page`; `questions` are its `questions_of()` when already read."""
        source = page.source_page()
        fields, source_fields = questions_of(page) if questions is None else questions
        attendance_choices = None
        if source.offers_online:
            attendance_choices = [
                (o.value, o.label) for o, _capacity in source.attendance_options()
            ]
        return cls(
            fields,
            source_fields,
            consent_label=page.consent_text,
            privacy_url=privacy_url,
            attendance_choices=attendance_choices,
        )

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
        return TextField(**options)

    def create_multiline_field(self, field, options):
        options["max_length"] = MAX_MULTI_LINE
        options.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        return TextField(multiline=True, **options)

    def create_email_field(self, field, options):
        options["max_length"] = 254
        return EmailAddressField(**options)

    def create_url_field(self, field, options):
        options["max_length"] = 2000
        return WebAddressField(assume_scheme="https", **options)

    def create_number_field(self, field, options):
        options.setdefault("max_digits", 12)
        options.setdefault("decimal_places", 2)
        return forms.DecimalField(**options)

    def create_hidden_field(self, field, options):
        options["max_length"] = MAX_SINGLE_LINE
        options.setdefault("widget", forms.HiddenInput)
        return TextField(**options)

    def create_multiselect_field(self, field, options):
        options["choices"] = self.get_formatted_field_choices(field)
        return ChoiceListField(**options)

    def create_checkboxes_field(self, field, options):
        options["choices"] = self.get_formatted_field_choices(field)
        options["initial"] = self.get_formatted_field_initial(field)
        options.setdefault("widget", forms.CheckboxSelectMultiple)
        return ChoiceListField(**options)

    def get_field_options(self, field):
        options = super().get_field_options(field)
        if field.field_type in ("dropdown", "radio") and field.default_value:
            options["initial"] = self.get_formatted_field_initial(field)[0]
        return options

    def questions(self):
        """(form field name, answer key, question) of each question, in order. A field
        not saved yet (a preview) has no clean_name: Wagtail's rule gives it one."""
        for field in self.fields:
            key = field.clean_name or field.get_field_clean_name()
            yield question_field_name(key), key, field

    @property
    def answer_keys(self):
        """{form field name: answer key} of the questions."""
        return {name: key for name, key, _field in self.questions()}

    def question_formfields(self):
        # Wagtail's `formfields`, under `question_field_name()`: a question whose key is
        # a built-in field's name is renamed, not dropped.
        return {
            name: self.get_create_field_function(field.field_type)(
                field, self.get_field_options(field)
            )
            for name, _key, field in self.questions()
        }

    @property
    def formfields(self):
        built_in = {
            "name": NameField(
                label=_("Full name"),
                max_length=MAX_NAME,
                widget=forms.TextInput(attrs={"autocomplete": "name"}),
            ),
            "email": EmailAddressField(
                label=_("Email address"),
                max_length=254,
                help_text=_(
                    "We send your confirmation and a link to manage your registration here."
                ),
                widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
            ),
        }
        if self.attendance_choices:
            built_in[ATTENDANCE_FIELD] = forms.ChoiceField(
                label=_("How will you take part?"),
                choices=self.attendance_choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose whether you come in person or online.")},
            )
        questions = self.question_formfields()
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
        return type(
            "RegistrationForm",
            (RegistrationBaseForm,),
            {**self.formfields, "answer_keys": self.answer_keys},
        )


class SurveyFormBuilder(RegistrationFormBuilder):
    """A feedback survey's form: the editors' questions only, with the source page's
    choice values (the respondent is known by their manage token, not asked again)."""

    @classmethod
    def for_page(cls, page, privacy_url=None):
        source = page.source_page()
        fields = list(page.get_form_fields())
        source_fields = fields if source.pk == page.pk else list(source.get_form_fields())
        return cls(fields, source_fields)

    @property
    def formfields(self):
        return self.question_formfields()
