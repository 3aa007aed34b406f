import factory
import wagtail_factories

from forms_app.models import (
    RegistrationEmailSettings,
    RegistrationFormField,
    RegistrationFormPage,
)


class RegistrationFormPageFactory(wagtail_factories.PageFactory):
    title = "Register"
    slug = "register"
    intro = "Register for the conference."
    capacity = 3
    waiting_list = True

    class Meta:
        model = RegistrationFormPage

    @factory.post_generation
    def email_settings(page, create, extracted, **overrides):
        """The registration managers' email settings of the form (not page fields);
        change them with `email_settings__organiser_addresses=""` and the like."""
        if not create:
            return
        values = {
            "organiser_addresses": "organisers@example.org",
            "from_address": "conference@example.org",
            "confirmation_texts": {
                "en": {"body": "We look forward to seeing you, {name}, at {event} ({dates})."}
            },
            **overrides,
        }
        RegistrationEmailSettings.objects.create(page=page, **values)


class RegistrationFormFieldFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(RegistrationFormPageFactory)
    label = factory.Sequence(lambda n: f"Question {n}")
    field_type = "singleline"
    required = False
    locale = factory.SelfAttribute("page.locale")

    class Meta:
        model = RegistrationFormField
