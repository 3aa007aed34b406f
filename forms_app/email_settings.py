"""The "Email settings" of a registration form, in the registrations admin: who is told of
new registrations, the sender, and the confirmation subject and text in each site
language (RegistrationEmailSettings, whose docstring says why these are not page fields).

Only registration managers of the form and superusers reach it (`user_can_manage_form`);
everyone else, page editors included, gets the admin's 403 page. Each save is logged with
Wagtail's `log()` (Reports → Site history for superusers)."""

from django import forms
from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language_info, gettext, gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.log_actions import log
from wagtail.models import Page

from .models import (
    CONFIRMATION_PLACEHOLDERS,
    RegistrationEmailSettings,
    RegistrationFormPage,
    unknown_placeholders,
)
from .permissions import can_manage_registrations, forbidden, user_can_manage_form

SUBJECT_MAX_LENGTH = 255
BODY_MAX_LENGTH = 5000


def placeholder_list():
    return ", ".join(f"{{{name}}}" for name in CONFIRMATION_PLACEHOLDERS)


class RegistrationEmailSettingsForm(forms.ModelForm):
    """The model's fields, plus a confirmation subject and text per site language (kept in
    `confirmation_texts`); fields of right-to-left languages are marked `dir="rtl"`."""

    class Meta:
        model = RegistrationEmailSettings
        fields = ["organiser_addresses", "organiser_subject", "from_address"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = []
        for code, name in settings.LANGUAGES:
            attrs = {"lang": code, "dir": "rtl" if get_language_info(code)["bidi"] else "ltr"}
            subject, body = self.instance.confirmation_for(code)
            self.fields[f"confirmation_subject_{code}"] = forms.CharField(
                label=gettext_lazy("Subject"),
                max_length=SUBJECT_MAX_LENGTH,
                required=False,
                initial=subject,
                widget=forms.TextInput(attrs=attrs),
                help_text=gettext_lazy("Empty: the built-in subject, in this language."),
            )
            self.fields[f"confirmation_body_{code}"] = forms.CharField(
                label=gettext_lazy("Text"),
                max_length=BODY_MAX_LENGTH,
                required=False,
                initial=body,
                widget=forms.Textarea(attrs={**attrs, "rows": 6}),
                help_text=gettext(
                    "Opens the confirmation email, before the built-in details. "
                    "Placeholders: %(placeholders)s."
                )
                % {"placeholders": placeholder_list()},
            )
            self.languages.append(
                {
                    "code": code,
                    "name": name,
                    "subject": self[f"confirmation_subject_{code}"],
                    "body": self[f"confirmation_body_{code}"],
                }
            )

    def clean_organiser_addresses(self):
        addresses = self.cleaned_data["organiser_addresses"]
        return ", ".join(a.strip() for a in addresses.split(",") if a.strip())

    def clean(self):
        cleaned = super().clean()
        for code, _name in settings.LANGUAGES:
            for field in (f"confirmation_subject_{code}", f"confirmation_body_{code}"):
                self._check_placeholders(field, cleaned.get(field))
        return cleaned

    def _check_placeholders(self, field, text):
        unknown = unknown_placeholders(text)
        if unknown:
            self.add_error(
                field,
                gettext("Unknown placeholder %(unknown)s. Use %(placeholders)s.")
                % {
                    "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                    "placeholders": placeholder_list(),
                },
            )

    def save(self, commit=True):
        texts = {}
        for code, _name in settings.LANGUAGES:
            subject = self.cleaned_data.get(f"confirmation_subject_{code}", "").strip()
            body = self.cleaned_data.get(f"confirmation_body_{code}", "").strip()
            if subject or body:
                texts[code] = {"subject": subject, "body": body}
        self.instance.confirmation_texts = texts
        return super().save(commit=commit)


class RegistrationEmailSettingsView(View):
    """GET: the form; POST: save, log and go back to the registrations list."""

    template_name = "forms_app/admin/email_settings.html"

    def dispatch(self, request, *args, page_id, **kwargs):
        # Nothing about the form (not even whether it exists) for non-managers.
        if not can_manage_registrations(request.user):
            return forbidden(request)
        page = get_object_or_404(Page.objects.type(RegistrationFormPage), pk=page_id).specific
        source = page.source_page()
        if not user_can_manage_form(request.user, source):
            return forbidden(request)
        if source.pk != page.pk:
            # A translation's emails are its source page's.
            return redirect("forms_app_admin:email_settings", page_id=source.pk)
        self.form_page = source
        self.instance = RegistrationEmailSettings.for_page(source)
        return super().dispatch(request, *args, **kwargs)

    @property
    def list_url(self):
        return reverse("wagtailforms:list_submissions", args=[self.form_page.pk])

    def render(self, form):
        return TemplateResponse(
            self.request,
            self.template_name,
            {"form": form, "form_page": self.form_page, "list_url": self.list_url},
        )

    def get(self, request, *args, **kwargs):
        return self.render(RegistrationEmailSettingsForm(instance=self.instance))

    def post(self, request, *args, **kwargs):
        form = RegistrationEmailSettingsForm(request.POST, instance=self.instance)
        if not form.is_valid():
            messages.validation_error(
                request, gettext("The email settings could not be saved due to errors."), form
            )
            return self.render(form)
        created = self.instance.pk is None
        with transaction.atomic():
            saved = form.save()
            # Which settings changed, not their values.
            log(
                saved,
                "wagtail.create" if created else "wagtail.edit",
                user=request.user,
                data={"page_id": self.form_page.pk, "changed": form.changed_data},
            )
        messages.success(
            request,
            gettext("The email settings of “%(form)s” have been saved.")
            % {"form": self.form_page.get_admin_display_title()},
        )
        return redirect(self.list_url)
