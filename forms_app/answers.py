"""Registrants' answers as they are stored and shown: their keys, their columns in the
registrations list and the exports, and how a value reads.

Answer keys. An editor's question is stored in `Registration.form_data` under its
`clean_name` (Wagtail's `safe_snake_case` of the label, synchronised across languages), so
a question labelled "Status", "Language", "Name" or "Email" has the key `status`,
`language`, `name` or `email`. It is an ordinary question all the same:

- on the form, it is posted under another name (`forms.question_field_name()`);
- in the columns of the registrations list and the exports
  (`RegistrationFormPage.get_data_fields()` / `Registration.get_data()`), every question's
  key is namespaced (`answer_column()`: `answer:<clean_name>`, which no built-in column
  key starts with), and a question's heading that reads like another column's gets
  "(question)" added (`distinct_labels()`).

Values. The registrations list, the exports and the registrant's manage page show an
answer the same way (`answer_text()`)."""

from django.utils.translation import gettext

# Prefix of a question's column key in get_data() / get_data_fields().
ANSWER_COLUMN_PREFIX = "answer:"


def answer_column(answer_key):
    """The key of a question's column in `Registration.get_data()` and
    `RegistrationFormPage.get_data_fields()`: never equal to a built-in column's key
    (`submit_time`, `name`, `email`, `status`, `language`), whatever the label."""
    return ANSWER_COLUMN_PREFIX + answer_key


def distinct_labels(labels):
    """The labels as text (in the active language), each later one that reads like an
    earlier one (case and spaces aside) marked as a question's: "Status (question)"."""
    seen = set()
    result = []
    for label in labels:
        text = str(label)
        candidate, number = text, 1
        while " ".join(candidate.split()).casefold() in seen:
            number += 1
            candidate = gettext("%(label)s (question)") % {"label": text}
            if number > 2:
                candidate = f"{candidate} {number - 1}"
        seen.add(" ".join(candidate.split()).casefold())
        result.append(candidate)
    return result


def answer_text(value, *, choice_labels=None, yes=None):
    """An answer as people read it: a choice in the wording of `choice_labels` ({stored
    value: label}, e.g. the page's language), several choices joined by ", ", a ticked box
    "Yes" (`yes`, else in the active language), an unticked box or no answer "". Other
    values (text, numbers) are returned as they are."""
    if value is None or value is False:
        return ""
    if value is True:
        return gettext("Yes") if yes is None else yes
    if isinstance(value, (list, tuple)):
        return ", ".join(
            str(answer_text(item, choice_labels=choice_labels, yes=yes)) for item in value
        )
    if choice_labels is not None:
        return choice_labels.get(value, value)
    return value
