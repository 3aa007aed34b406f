import factory
import wagtail_factories

from forms_app.models import RegistrationFormField, RegistrationFormPage


class RegistrationFormPageFactory(wagtail_factories.PageFactory):
    title = "Register"
    slug = "register"
    intro = "Register for the conference."
    capacity = 3
    waiting_list = True
    to_address = "organisers@example.org"
    from_address = "conference@example.org"
    confirmation_subject = ""
    confirmation_body = "We look forward to seeing you, {name}, at {event} ({dates})."

    class Meta:
        model = RegistrationFormPage


class RegistrationFormFieldFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(RegistrationFormPageFactory)
    label = factory.Sequence(lambda n: f"Question {n}")
    field_type = "singleline"
    required = False
    locale = factory.SelfAttribute("page.locale")

    class Meta:
        model = RegistrationFormField
