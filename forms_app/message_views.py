"""Messages to registrants, in the registrations admin: the list of a form's messages
(the record: who wrote each, when, to whom, how many, how many sent or failed), writing
one (filters, then a subject and text for the source language and, optionally, each
other site language), its preview (recipients per language and each language's email,
saying where a language falls back to the source text), and sending it.

Only registration managers of the form and superusers reach these pages
(`user_can_manage_form`); page editors get the admin's 403 page. The logic is in
messaging.py."""

from django import forms
from django.conf import settings
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views import View
from wagtail.admin import messages
from wagtail.models import Page

from . import messaging
from .models import RegistrantMessage, RegistrationFormPage
from .permissions import can_manage_registrations, forbidden, user_can_manage_form

SUBJECT_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10000


class MessageForm(forms.Form):
    """Who gets the message, and what it says in each language (the source language's
    subject and text required, the others optional)."""

    status = forms.MultipleChoiceField(
        label=gettext_lazy("Registrations"),
        choices=messaging.STATUS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=[messaging.STATUS_CHOICES[0][0]],
        help_text=gettext_lazy("Cancelled registrations never get messages."),
    )
    language = forms.MultipleChoiceField(
        label=gettext_lazy("Languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("The language people registered in. None ticked: every language."),
    )
    checked_in = forms.ChoiceField(
        label=gettext_lazy("Check-in"),
        choices=messaging.CHECKED_IN_CHOICES,
        widget=forms.RadioSelect,
        initial=messaging.CHECKED_IN_ANY,
    )

    def __init__(self, *args, source_language, **kwargs):
        super().__init__(*args, **kwargs)
        self.source_language = source_language
        codes = [code for code, _name in settings.LANGUAGES]
        # The source language first: it is the text everyone else falls back to.
        codes.sort(key=lambda code: code != source_language)
        names = dict(settings.LANGUAGES)
        self.languages = []
        for code in codes:
            required = code == source_language
            attrs = {"lang": code, "dir": messaging.text_direction(code)}
            self.fields[f"subject_{code}"] = forms.CharField(
                label=gettext_lazy("Subject"),
                max_length=SUBJECT_MAX_LENGTH,
                required=required,
                widget=forms.TextInput(attrs=attrs),
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=gettext_lazy("Text"),
                max_length=BODY_MAX_LENGTH,
                required=required,
                strip=True,
                widget=forms.Textarea(attrs={**attrs, "rows": 10}),
                help_text=(
                    gettext_lazy("Plain text; line breaks are kept.")
                    if required
                    else gettext_lazy(
                        "Empty: people who registered in this language get the text above."
                    )
                ),
            )
            self.languages.append(
                {
                    "code": code,
                    "name": names[code],
                    "is_source": required,
                    "subject": self[f"subject_{code}"],
                    "body": self[f"body_{code}"],
                }
            )

    def clean(self):
        cleaned = super().clean()
        for language in self.languages:
            code = language["code"]
            subject = (cleaned.get(f"subject_{code}") or "").strip()
            body = (cleaned.get(f"body_{code}") or "").strip()
            if bool(subject) != bool(body):
                missing = f"body_{code}" if subject else f"subject_{code}"
                self.add_error(missing, gettext("Give both a subject and a text, or neither."))
        return cleaned

    def texts(self):
        texts = {}
        for language in self.languages:
            code = language["code"]
            subject = self.cleaned_data.get(f"subject_{code}", "").strip()
            body = self.cleaned_data.get(f"body_{code}", "").strip()
            if subject and body:
                texts[code] = {"subject": subject, "body": body}
        return texts

    def filters(self):
        return {
            "status": self.cleaned_data["status"],
            "language": self.cleaned_data["language"],
            "checked_in": self.cleaned_data["checked_in"],
        }

    @classmethod
    def initial_from(cls, message):
        """A draft's filters and texts, to change it."""
        filters = messaging.clean_filters(message.filters)
        initial = {
            "status": filters["status"],
            "language": filters["language"],
            "checked_in": filters["checked_in"],
        }
        for code, text in (message.texts or {}).items():
            initial[f"subject_{code}"] = text.get("subject", "")
            initial[f"body_{code}"] = text.get("body", "")
        return initial


class FormMessagesMixin:
    """The source form of the URL's `page_id`, for its registration managers only."""

    def dispatch(self, request, *args, page_id, **kwargs):
        # Nothing about the form (not even whether it exists) for non-managers.
        if not can_manage_registrations(request.user):
            return forbidden(request)
        page = get_object_or_404(Page.objects.type(RegistrationFormPage), pk=page_id).specific
        source = page.source_page()
        if not user_can_manage_form(request.user, source):
            return forbidden(request)
        if source.pk != page.pk:
            return redirect("forms_app_admin:messages", page_id=source.pk)
        self.form_page = source
        return super().dispatch(request, *args, **kwargs)

    def get_message(self, message_id):
        return get_object_or_404(
            RegistrantMessage.objects.select_related("created_by", "page__locale"),
            pk=message_id,
            page_id=self.form_page.pk,
        )

    def context(self, **extra):
        return {
            "form_page": self.form_page,
            "list_url": reverse("wagtailforms:list_submissions", args=[self.form_page.pk]),
            "messages_url": reverse("forms_app_admin:messages", args=[self.form_page.pk]),
            "write_url": reverse("forms_app_admin:write_message", args=[self.form_page.pk]),
            **extra,
        }


class MessageListView(FormMessagesMixin, View):
    template_name = "forms_app/admin/messages/index.html"

    def get(self, request, *args, **kwargs):
        rows = []
        for message in RegistrantMessage.objects.filter(page_id=self.form_page.pk).select_related(
            "created_by", "page__locale"
        ):
            rows.append(
                {
                    "message": message,
                    "subject": messaging.text_for(message, messaging.source_language(message))[1],
                    "filters": messaging.describe_filters(message.filters),
                    "delivery": messaging.delivery(message) if message.sent_at else None,
                    "url": reverse("forms_app_admin:message", args=[self.form_page.pk, message.pk]),
                }
            )
        return TemplateResponse(request, self.template_name, self.context(rows=rows))


class MessageWriteView(FormMessagesMixin, View):
    """GET: the form (a draft's contents with `?from=<id>`); POST: save a draft and show
    its preview."""

    template_name = "forms_app/admin/messages/write.html"

    def make_form(self, data=None, initial=None):
        return MessageForm(
            data,
            initial=initial,
            source_language=self.form_page.locale.language_code,
        )

    def render(self, form):
        return TemplateResponse(self.request, self.template_name, self.context(form=form))

    def get(self, request, *args, **kwargs):
        initial = None
        draft_id = request.GET.get("from", "")
        if draft_id.isdigit():
            initial = MessageForm.initial_from(self.get_message(int(draft_id)))
        return self.render(self.make_form(initial=initial))

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if not form.is_valid():
            messages.validation_error(
                request, gettext("The message could not be saved due to errors."), form
            )
            return self.render(form)
        message = messaging.write(
            self.form_page, texts=form.texts(), filters=form.filters(), user=request.user
        )
        return redirect("forms_app_admin:message", page_id=self.form_page.pk, message_id=message.pk)


def preview_languages(message, counts):
    """For each site language with recipients (or, when none has any, every language):
    its count and its email as a registrant in it would get it."""
    names = dict(settings.LANGUAGES)
    placeholder_name = gettext("(the registrant's name)")
    placeholder_link = gettext("(their private registration link)")
    event = message.page.specific.event
    title = event.title if event is not None else message.page.title
    shown = [code for code, count in counts.items() if count] or list(counts)
    languages = []
    for code in shown:
        text_language, _subject, _body = messaging.text_for(message, code)
        subject, text, _html = messaging.render(
            message, code, name=placeholder_name, manage_url=placeholder_link, event_title=title
        )
        languages.append(
            {
                "code": code,
                "name": names[code],
                "count": counts[code],
                "falls_back": text_language != code,
                "text_language_name": names.get(text_language, text_language),
                "direction": messaging.text_direction(code),
                "text_direction": messaging.text_direction(text_language),
                "text_language": text_language,
                "subject": subject,
                "text": text,
            }
        )
    return languages


class MessageDetailView(FormMessagesMixin, View):
    """A draft: its preview and the Send button. A sent message: its record."""

    template_name = "forms_app/admin/messages/detail.html"

    def get(self, request, *args, message_id, **kwargs):
        message = self.get_message(message_id)
        if message.sent_at is None:
            counts = messaging.count_by_language(self.form_page, message.filters)
        else:
            counts = dict(
                message.emails.order_by()
                .values_list("registration__language")
                .annotate(n=Count("pk"))
                .values_list("registration__language", "n")
            )
            counts = {code: counts.get(code, 0) for code, _name in settings.LANGUAGES}
        context = self.context(
            message=message,
            is_draft=message.sent_at is None,
            filters=messaging.describe_filters(message.filters),
            total=sum(counts.values()) if message.sent_at is None else message.recipient_count,
            languages=preview_languages(message, counts),
            delivery=messaging.delivery(message) if message.sent_at else None,
            send_url=reverse("forms_app_admin:send_message", args=[self.form_page.pk, message.pk]),
            change_url=reverse("forms_app_admin:write_message", args=[self.form_page.pk])
            + f"?from={message.pk}",
        )
        return TemplateResponse(request, self.template_name, context)


class MessageSendView(FormMessagesMixin, View):
    """POST: send the draft once (a second click finds it sent)."""

    def post(self, request, *args, message_id, **kwargs):
        message = self.get_message(message_id)
        count = messaging.send(message.pk)
        if count is None:
            messages.warning(request, gettext("This message had already been sent."))
        else:
            messages.success(
                request,
                ngettext(
                    "The message is being sent to %(count)s registrant.",
                    "The message is being sent to %(count)s registrants.",
                    count,
                )
                % {"count": count},
            )
        return redirect("forms_app_admin:message", page_id=self.form_page.pk, message_id=message.pk)

    def get(self, request, *args, message_id, **kwargs):
        return redirect("forms_app_admin:message", page_id=self.form_page.pk, message_id=message_id)
