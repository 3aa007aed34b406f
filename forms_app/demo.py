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

from . import checkin, emails, feedback, services, visa
from .demo_users import ensure_door, ensure_registrar
from .models import (
    Attendance,
    CheckIn,
    EmailKind,
    FeedbackFormField,
    FeedbackFormPage,
    OutgoingEmail,
    Registration,
    RegistrationEmailSettings,
    RegistrationFormField,
    RegistrationFormPage,
    VisaLetterhead,
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
    # The email greets the registrant itself ("Dear …,"): the text does not greet again.
    "body": T(
        "Thank you for registering for {event} ({dates}). Please keep this email: the link "
        "below lets you see or cancel your registration.",
        "{event} ({dates}) için kaydolduğunuz için teşekkür ederiz. Lütfen bu e-postayı "
        "saklayın: aşağıdaki bağlantıdan kaydınızı görebilir veya iptal edebilirsiniz.",
        "{event} ({dates}) کے لیے رجسٹریشن کا شکریہ۔ براہِ کرم یہ ای میل سنبھال کر رکھیں: "
        "نیچے دیے گئے لنک سے آپ اپنی رجسٹریشن دیکھ یا منسوخ کر سکتے ہیں۔",
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
    registrar = ensure_registrar(out)
    door = ensure_door(out)
    ensure_check_ins(form, event, door, out)
    ensure_online_and_visa_story(form, event, registrar, out)
    ensure_past_edition_story(privacy, door, out)


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


# The story of a registration from start to end --------------------------------------------
# Demo data sends no email: the emails the story owes are recorded as sent, so the admin
# shows them in each registration's history.

ONLINE_REGISTRANT = ("Deniz Örnek", "deniz.online@example.org", "tr")
VISA_REGISTRANT = ("Bilal Example", "bilal.visa@example.org", "en")
VISA_DETAILS = {
    "passport_name": "BILAL EXAMPLE",
    "nationality": "Pakistani",
    "passport_number": "XD1234567",
    "passport_expiry": "2031-05-31",
    "date_of_birth": "1988-03-14",
    "consulate_city": "Islamabad",
}
LETTERHEAD = {
    "organisation": "World Kashmir Awareness Forum and Kashmir Civitas",
    "address": "Conference secretariat\nIstanbul, Turkey",
    "contact": "conference@example.org",
    "signatory_name": "The conference secretariat",
    "signatory_title": "On behalf of the organising committee",
    "costs_statement": (
        "The participant pays for their own travel, accommodation and stay in Turkey. The "
        "organisers provide the conference programme, materials and refreshments during "
        "the conference."
    ),
    "costs_statement_tr": (
        "Katılımcı; yolculuk, konaklama ve Türkiye'deki kalış masraflarını kendisi karşılar. "
        "Düzenleyiciler konferans programını, materyalleri ve konferans boyunca ikramları "
        "sağlar."
    ),
}


def _mark_sent(registration_ids, at=None):
    """Record the emails the story owes as sent (at `at`: written and sent then)."""
    unsent = OutgoingEmail.objects.filter(registration_id__in=registration_ids).exclude(
        status=OutgoingEmail.Status.SENT
    )
    moment = {"created_at": at} if at is not None else {}
    unsent.update(
        status=OutgoingEmail.Status.SENT, sent_at=at or timezone.now(), attempts=1, **moment
    )


def _in_language(form, code):
    return form.get_translation(Locale.objects.get(language_code=code)).specific


@transaction.atomic
def ensure_online_and_visa_story(form, event, registrar, out):
    """The upcoming edition: online places (its join link goes to online registrants
    only), a Turkish registrant with one, and a Pakistani registrant whose visa letter
    was requested and approved (the reference looks up on the admin's verify page)."""
    if Registration.objects.filter(email=VISA_REGISTRANT[1]).exists():
        return
    if event.has_online_part and not form.offers_online:
        RegistrationFormPage.objects.filter(pk=form.pk).update(
            offers_online=True, online_capacity=500, visa_letters=True
        )
    else:
        RegistrationFormPage.objects.filter(pk=form.pk).update(visa_letters=True)
    form = RegistrationFormPage.objects.get(pk=form.pk)
    name, email, language = ONLINE_REGISTRANT
    online = services.register(
        _in_language(form, language),
        name=name,
        email=email,
        answers={"country_of_residence": "Turkey"},
        language=language,
        submission_token=None,
        attendance=Attendance.ONLINE,
    ).registration
    name, email, language = VISA_REGISTRANT
    traveller = services.register(
        form,
        name=name,
        email=email,
        answers={"country_of_residence": "Pakistan"},
        language=language,
        submission_token=None,
    ).registration
    if not VisaLetterhead.objects.exists():
        VisaLetterhead.objects.create(**LETTERHEAD)
    if not visa.available():
        # Production settings without VISA_DATA_KEYS: passport details cannot be sealed,
        # so the demo has no letter (the form still offers them once a key is set).
        _mark_sent([online.pk, traveller.pk])
        out(f"  an online registrant ({online.email}); no visa letter: VISA_DATA_KEYS is not set")
        return
    letter_request, _created = visa.request_letter(form, traveller, VISA_DETAILS)
    approved = visa.approve(letter_request, user=registrar)
    emails.queue(traveller, EmailKind.VISA_LETTER)
    _mark_sent([online.pk, traveller.pk])
    out(
        f"  an online registrant ({online.email}) and a visa letter approved for "
        f"{traveller.email}, reference {approved.reference}"
    )


STORY_FORM = {
    # Not "Register": the admin's Forms list tells the editions' forms apart by title.
    "title": T("Registration 2020", "Kayıt 2020", "رجسٹریشن 2020"),
    "intro": T(
        "Registration for this edition is closed.",
        "Bu konferansın kaydı kapandı.",
        "اس کانفرنس کی رجسٹریشن بند ہو چکی ہے۔",
    ),
    "thank_you_text": Para(
        T("Thank you for registering.", "Kaydınız için teşekkürler.", "رجسٹریشن کا شکریہ۔")
    ),
    "consent_text": REGISTRATION_FORM["consent_text"],
}
SURVEY = {
    "title": T("Your feedback", "Görüşleriniz", "آپ کی رائے"),
    "intro": T(
        "Tell the organisers what worked and what to change for the next edition.",
        "Düzenleyicilere neyin iyi gittiğini ve bir sonraki konferans için neyin "
        "değişmesi gerektiğini anlatın.",
        "منتظمین کو بتائیں کہ کیا اچھا رہا اور اگلی کانفرنس کے لیے کیا بدلنا چاہیے۔",
    ),
    "thank_you_text": Para(T("Thank you.", "Teşekkürler.", "شکریہ۔")),
}
SURVEY_QUESTIONS = [
    {
        "label": T(
            "How useful were the working groups?",
            "Çalışma grupları ne kadar yararlıydı?",
            "ورکنگ گروپ کتنے مفید تھے؟",
        ),
        "field_type": "radio",
        "choices": T(
            "Very useful\nUseful\nNot useful",
            "Çok yararlı\nYararlı\nYararlı değil",
            "بہت مفید\nمفید\nمفید نہیں",
        ),
        "required": True,
    },
    {
        "label": T("What should change?", "Ne değişmeli?", "کیا بدلنا چاہیے؟"),
        "field_type": "multiline",
        "required": False,
    },
]
STORY_PEOPLE = [
    # (name, email, language): the first two fill the hall; the Urdu registrant waits.
    ("Example Delegate", "delegate.story@example.org", "en"),
    ("Örnek Katılımcı", "katilimci.story@example.org", "tr"),
    ("عائشہ مثال", "ayesha.story@example.org", "ur"),
]


@transaction.atomic
def ensure_past_edition_story(privacy, door, out):
    """The latest edition that is over, from registration to certificate: its hall (two
    places) filled, an Urdu registrant on the waiting list promoted when a place was
    freed, reminded 7 days and 1 day before, checked in on two days, certified, and
    answering the feedback survey (in three languages, under the event)."""
    event = (
        EventPage.objects.live()
        .filter(locale=Locale.get_default(), end__lt=timezone.now())
        .order_by("-start")
        .first()
    )
    if event is None or event.get_children().filter(slug="register").exists():
        return
    form = ensure_form(event, "register", STORY_FORM, [], out, capacity=2, privacy=privacy)
    ensure_translations(form, translation_spec(STORY_FORM, []), out)
    people = [
        services.register(
            _in_language(form, language),
            name=name,
            email=email,
            answers={},
            language=language,
            submission_token=None,
        ).registration
        for name, email, language in STORY_PEOPLE
    ]
    delegate, participant, urdu = people
    services.cancel(delegate)  # the Urdu registrant is promoted
    urdu.refresh_from_db()
    start = event.start
    registered = start - dt.timedelta(days=40)
    for offset, registration in enumerate(people):
        Registration.objects.filter(pk=registration.pk).update(
            submit_time=registered + dt.timedelta(days=offset)
        )
    Registration.objects.filter(pk=urdu.pk).update(promoted_at=start - dt.timedelta(days=20))
    _mark_sent([p.pk for p in people], at=start - dt.timedelta(days=20))
    for key, before in (("7d", dt.timedelta(days=7)), ("1d", dt.timedelta(days=1))):
        for registration in (participant, urdu):
            OutgoingEmail.objects.create(
                registration=registration,
                kind=EmailKind.REMINDER,
                occasion=key,
                status=OutgoingEmail.Status.SENT,
                created_at=start - before,
                sent_at=start - before,
                attempts=1,
            )
    days = checkin.event_days(event)
    for registration, day_numbers in ((urdu, (0, 1)), (participant, (0,))):
        for number in day_numbers:
            checkin.check_in(form, day=days[number], user=door, registration_id=registration.pk)
    for registration in (urdu, participant):
        OutgoingEmail.objects.create(
            registration=registration,
            kind=EmailKind.CERTIFICATE,
            status=OutgoingEmail.Status.SENT,
            created_at=event.end,
            sent_at=event.end,
            attempts=1,
        )
    survey = ensure_survey(event, out)
    feedback.record(survey, urdu, {"how_useful_were_the_working_groups": "Very useful"}, "ur")
    out(f"  the story of “{urdu.name}”: waitlisted, promoted, reminded, checked in, certified")


def ensure_survey(event, out):
    existing = event.get_children().type(FeedbackFormPage).first()
    if existing is not None:
        return existing.specific
    survey = FeedbackFormPage(slug="feedback", **english(SURVEY))
    for order, question in enumerate(SURVEY_QUESTIONS):
        survey.form_fields.add(
            FeedbackFormField(sort_order=order, locale=event.locale, **english(question))
        )
    event.add_child(instance=survey)
    survey.save_revision().publish()
    ensure_translations(survey, translation_spec(SURVEY, SURVEY_QUESTIONS), out)
    out(f"  created the feedback survey at {survey.url_path}")
    return survey
