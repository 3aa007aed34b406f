"""Demo registrations: the registration form of the upcoming edition in three languages
(capacity 300, waiting list on), a small workshop form that is already full so the demo
shows a waiting list, sample registrations in every language and status, some of them
checked in on the first day of the event, and the demo registration manager and door
staff."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from events.models import EventPage
from home.demo.build import ensure_translations
from home.demo.text import Para, T, english

from . import checkin, services
from .demo_users import ensure_door, ensure_registrar
from .models import (
    CheckIn,
    OutgoingEmail,
    Registration,
    RegistrationEmailSettings,
    RegistrationFormField,
    RegistrationFormPage,
)

AREAS = T(
    "Academic work\nSocial media\nPolitical lobbying\nHuman-rights documentation",
    "Akademik çalışma\nSosyal medya\nSiyasi lobicilik\nİnsan hakları ihlallerinin belgelenmesi",
    "علمی کام\nسوشل میڈیا\nسیاسی لابنگ\nانسانی حقوق کی خلاف ورزیوں کی دستاویز بندی",
)
DAYS = T(
    "Day 1\nDay 2\nDay 3",
    "1. gün\n2. gün\n3. gün",
    "پہلا دن\nدوسرا دن\nتیسرا دن",
)

REGISTRATION_FORM = {
    "title": T("Register", "Kayıt", "رجسٹریشن"),
    "intro": T(
        "Registration is open to everyone who wants to contribute: diaspora organisations, "
        "individuals and supporters. Places in the hall are limited.",
        "Kayıt, katkıda bulunmak isteyen herkese açıktır: diaspora kuruluşları, bireyler ve "
        "destekçiler. Salondaki yer sayısı sınırlıdır.",
        "رجسٹریشن ہر اس شخص کے لیے کھلی ہے جو اپنا حصہ ڈالنا چاہتا ہے: تارکینِ وطن کی "
        "تنظیمیں، افراد اور حامی۔ ہال میں نشستیں محدود ہیں۔",
    ),
    "thank_you_text": Para(
        T(
            "Thank you for registering. We look forward to working with you in Istanbul.",
            "Kaydınız için teşekkürler. İstanbul'da sizinle birlikte çalışmayı dört gözle "
            "bekliyoruz.",
            "رجسٹریشن کا شکریہ۔ ہم استنبول میں آپ کے ساتھ مل کر کام کرنے کے منتظر ہیں۔",
        )
    ),
    "consent_text": T(
        "I agree that my data is used to organise the conference, as described in the "
        "privacy notice.",
        "Verilerimin, gizlilik bildiriminde açıklandığı şekilde konferansın düzenlenmesi için "
        "kullanılmasını kabul ediyorum.",
        "میں اتفاق کرتا/کرتی ہوں کہ میری معلومات رازداری کے نوٹس کے مطابق کانفرنس کے انتظام "
        "کے لیے استعمال کی جائیں۔",
    ),
}

# The registration managers' settings (RegistrationEmailSettings, not page fields): who is
# told of new registrations, the sender, and the confirmation text in each language.
ORGANISER_ADDRESS = "organisers@example.org"
SENDER_ADDRESS = "conference@example.org"
CONFIRMATION = {
    "subject": T(
        "Your place at the conference is confirmed",
        "Konferanstaki yeriniz onaylandı",
        "کانفرنس میں آپ کی جگہ کی تصدیق ہو گئی",
    ),
    "body": T(
        "Dear {name}, thank you for registering for {event} ({dates}). Please keep this "
        "email: the link below lets you see or cancel your registration.",
        "Sayın {name}, {event} ({dates}) için kaydolduğunuz için teşekkür ederiz. Lütfen bu "
        "e-postayı saklayın: aşağıdaki bağlantıdan kaydınızı görebilir veya iptal "
        "edebilirsiniz.",
        "محترم {name}، {event} ({dates}) کے لیے رجسٹریشن کا شکریہ۔ براہِ کرم یہ ای میل "
        "سنبھال کر رکھیں: نیچے دیے گئے لنک سے آپ اپنی رجسٹریشن دیکھ یا منسوخ کر سکتے ہیں۔",
    ),
}

QUESTIONS = [
    {
        "label": T("Country of residence", "İkamet ettiğiniz ülke", "رہائش کا ملک"),
        "field_type": "singleline",
        "required": True,
    },
    {
        "label": T("Affiliation", "Bağlı olduğunuz kurum", "وابستگی"),
        "field_type": "singleline",
        "required": False,
        "help_text": T(
            "Organisation, university or profession, if any.",
            "Varsa kuruluş, üniversite veya meslek.",
            "تنظیم، جامعہ یا پیشہ، اگر کوئی ہو۔",
        ),
    },
    {
        "label": T("Area of work", "Çalışma alanı", "کام کا شعبہ"),
        "field_type": "checkboxes",
        "required": False,
        "choices": AREAS,
        "help_text": T(
            "The working groups you would like to join.",
            "Katılmak istediğiniz çalışma grupları.",
            "وہ ورکنگ گروپ جن میں آپ شامل ہونا چاہتے ہیں۔",
        ),
    },
    {
        "label": T("Days attending", "Katılacağınız günler", "شرکت کے دن"),
        "field_type": "checkboxes",
        "required": True,
        "choices": DAYS,
    },
]

WORKSHOP_FORM = {
    "title": T(
        "Working-group workshop",
        "Çalışma grubu atölyesi",
        "ورکنگ گروپ ورکشاپ",
    ),
    "intro": T(
        "A hands-on session for the coordinators of the four working groups. Twelve places.",
        "Dört çalışma grubunun koordinatörleri için uygulamalı bir oturum. On iki kişilik.",
        "چاروں ورکنگ گروپوں کے رابطہ کاروں کے لیے ایک عملی نشست۔ بارہ نشستیں۔",
    ),
    "consent_text": REGISTRATION_FORM["consent_text"],
}

SAMPLE_NAMES = [
    "Demo Participant",
    "Sample Attendee",
    "Example Delegate",
    "Placeholder Guest",
]
SAMPLE_COUNTRIES = ["United Kingdom", "Turkey", "Pakistan", "Germany", "Canada", "Norway"]


def multiline(value):
    """Choices are one per line; wagtail-localize shows them to translators as one segment
    with <br/> between lines."""
    return T(*(getattr(value, code).replace("\n", "<br/>") for code in ("en", "tr", "ur")))


def translation_spec(form_spec, questions):
    extra = []
    for question in questions:
        for key in ("label", "help_text"):
            if key in question:
                extra.append(question[key])
        if "choices" in question:
            extra.append(multiline(question["choices"]))
    return {**form_spec, "questions": extra}


def load(out):
    out("Registration forms")
    event = (
        EventPage.objects.live()
        .filter(locale=Locale.get_default(), start__gt=timezone.now())
        .order_by("start")
        .first()
    )
    if event is None:
        out("  no upcoming event: no registration form")
        ensure_registrar(out)
        ensure_door(out)
        return
    privacy = Page.objects.filter(slug="privacy", locale=Locale.get_default()).first()
    form = ensure_form(
        event, "register", REGISTRATION_FORM, QUESTIONS, out, capacity=300, privacy=privacy
    )
    ensure_translations(form, translation_spec(REGISTRATION_FORM, QUESTIONS), out)
    ensure_email_settings(form, out, confirmation=CONFIRMATION)
    workshop = ensure_form(event, "workshop", WORKSHOP_FORM, [], out, capacity=12, privacy=privacy)
    ensure_translations(workshop, translation_spec(WORKSHOP_FORM, []), out)
    ensure_email_settings(workshop, out)
    ensure_sample_registrations(form, workshop, event, out)
    ensure_registrar(out)
    door = ensure_door(out)
    ensure_check_ins(form, event, door, out)


def ensure_form(event, slug, spec, questions, out, *, capacity, privacy):
    existing = event.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = RegistrationFormPage(
        slug=slug,
        capacity=capacity,
        waiting_list=True,
        privacy_page=privacy,
        **english(spec),
    )
    for order, question in enumerate(questions):
        page.form_fields.add(
            RegistrationFormField(sort_order=order, locale=event.locale, **english(question))
        )
    event.add_child(instance=page)
    page.save_revision().publish()
    out(f"  created registration form “{page.title}” at {page.url_path}")
    return page


def ensure_email_settings(form, out, *, confirmation=None):
    """The form's email settings, as a registration manager would set them; once."""
    if RegistrationEmailSettings.objects.filter(page=form).exists():
        return
    texts = {}
    if confirmation is not None:
        for code in ("en", "tr", "ur"):
            texts[code] = {key: value.get(code) for key, value in confirmation.items()}
    RegistrationEmailSettings.objects.create(
        page=form,
        organiser_addresses=ORGANISER_ADDRESS,
        from_address=SENDER_ADDRESS,
        confirmation_texts=texts,
    )
    out(f"  set the email settings of “{form.title}”")


@transaction.atomic
def ensure_sample_registrations(form, workshop, event, out):
    if Registration.objects.filter(page_id__in=[form.pk, workshop.pk]).exists():
        return
    languages = ["en", "tr", "ur"]
    areas = AREAS.en.split("\n")
    days = DAYS.en.split("\n")
    forms = {
        code: form.get_translation(Locale.objects.get(language_code=code)).specific
        for code in languages
    }
    created = []
    for n in range(36):
        language = languages[n % 3]
        outcome = services.register(
            forms[language],
            name=f"{SAMPLE_NAMES[n % len(SAMPLE_NAMES)]} {n + 1}",
            email=f"participant{n + 1}@example.org",
            answers={
                "country_of_residence": SAMPLE_COUNTRIES[n % len(SAMPLE_COUNTRIES)],
                "affiliation": "" if n % 4 else "Example Diaspora Association",
                "area_of_work": [areas[n % 4], areas[(n + 1) % 4]] if n % 3 else [areas[n % 4]],
                "days_attending": days if n % 2 else days[:2],
            },
            language=language,
            submission_token=None,
        )
        created.append(outcome.registration)
    for registration in created[1::8]:
        services.cancel(registration, notify=False)
    workshops = {
        code: workshop.get_translation(Locale.objects.get(language_code=code)).specific
        for code in languages
    }
    for n in range(16):
        language = languages[(n + 1) % 3]
        services.register(
            workshops[language],
            name=f"Coordinator {n + 1}",
            email=f"coordinator{n + 1}@example.org",
            answers={},
            language=language,
            submission_token=None,
        )
    # Spread the sample over the past weeks, so the per-day chart has a shape.
    now = timezone.now()
    for index, registration in enumerate(
        Registration.objects.filter(page_id__in=[form.pk, workshop.pk]).order_by("pk")
    ):
        Registration.objects.filter(pk=registration.pk).update(
            submit_time=now - dt.timedelta(days=(52 - index) // 2, hours=index % 7)
        )
    # Demo data sends no email: drop what the sample registrations queued.
    OutgoingEmail.objects.filter(registration__page_id__in=[form.pk, workshop.pk]).delete()
    count = Registration.objects.filter(page_id__in=[form.pk, workshop.pk]).count()
    out(f"  created {count} sample registrations")


CHECKED_IN_SAMPLE = 10


@transaction.atomic
def ensure_check_ins(form, event, door, out):
    """Check in the first confirmed sample registrants on the event's first day (by the
    demo door user, through the real service), so the counts, the check-in page and the
    door list have something to show; once."""
    if CheckIn.objects.filter(registration__page_id=form.pk).exists():
        return
    first_day = checkin.event_days(event)[0]
    confirmed = Registration.objects.filter(page_id=form.pk, status="confirmed").order_by("pk")
    for registration in confirmed[:CHECKED_IN_SAMPLE]:
        checkin.check_in(form, day=first_day, user=door, registration_id=registration.pk)
    count = CheckIn.objects.filter(registration__page_id=form.pk).count()
    out(f"  checked in {count} sample registrants on {first_day.isoformat()}")
