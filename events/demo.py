"""Demo content for the events app: the events index, the 1st and 2nd World Kashmir Diaspora
Conferences (January and December 2020, Istanbul), the next edition dated from the day the
demo is loaded, their programmes, placeholder speakers and the two organisers, in English,
Turkish and Urdu through wagtail-localize.

Written from the organisers' published facts (names, dates, places, themes). Speakers are
clearly placeholders: no statement is put in a real person's mouth. Loaded by
`manage.py load_demo` after `home.demo`; running it again changes nothing."""

import datetime as dt
import uuid

from django.conf import settings
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from home.demo.build import ensure_child_page, ensure_snippet, ensure_translations
from home.demo.images import demo_image, demo_logo
from home.demo.text import Para, T, stream
from home.models import HomePage

from .choices import AttendanceMode
from .formatting import DEFAULT_TIME_ZONE, zone
from .models import (
    EventIndexPage,
    EventOrganiser,
    EventPage,
    EventPartner,
    Organiser,
    Partner,
    Speaker,
)

# Where the next edition's online participants join: sent to them only, never public.
NEXT_JOIN_URL = "https://meet.example.org/kashmir-diaspora-conference-online"

# Shared words ---------------------------------------------------------------------------

ISTANBUL = T("Istanbul", "İstanbul", "استنبول")
TURKEY = T("Turkey", "Türkiye", "ترکی")
MAIN_HALL = T("Main hall", "Ana salon", "مرکزی ہال")
ROOM_1 = T("Room 1", "Salon 1", "کمرہ 1")
ROOM_2 = T("Room 2", "Salon 2", "کمرہ 2")

# Organisers: they run the conference jointly, as equal partners ---------------------------

JOINT = T(
    "One of the two organisations that run the conference jointly, as equal partners.",
    "Konferansı eşit ortaklar olarak birlikte düzenleyen iki kuruluştan biri.",
    "ان دو تنظیموں میں سے ایک جو برابر کے شراکت داروں کی حیثیت سے مل کر کانفرنس منعقد کرتی ہیں۔",
)

ORGANISERS = [
    {
        "name": T(
            "World Kashmir Awareness Forum",
            "World Kashmir Awareness Forum",
            "ورلڈ کشمیر اویئرنس فورم",
        ),
        "description": JOINT,
    },
    {"name": T("Kashmir Civitas", "Kashmir Civitas", "کشمیر سیوٹاس"), "description": JOINT},
]

# Partners: the two organisers, and clearly generic example names for a partner and a
# sponsor (no real organisation is credited with support it did not give) ------------------

PARTNERS = [
    {
        "name": ORGANISERS[0]["name"],
        "tier": "organiser",
        "link": "",
    },
    {"name": ORGANISERS[1]["name"], "tier": "organiser", "link": ""},
    {
        "name": T("Example Diaspora Network", "Örnek Diaspora Ağı", "مثالی ڈائسپورا نیٹ ورک"),
        "tier": "partner",
        "link": "https://example.org/",
    },
    {
        "name": T("Example Foundation", "Örnek Vakfı", "مثالی فاؤنڈیشن"),
        "tier": "sponsor",
        "link": "https://example.org/",
    },
]

# Speakers: placeholders, so that the programme shows how speakers appear ------------------

PLACEHOLDER_BIO = T(
    "Placeholder profile for the demo content. A real speaker's short biography is shown "
    "here in the visitor's language.",
    "Demo içeriği için örnek profil. Gerçek bir konuşmacının kısa biyografisi burada "
    "ziyaretçinin dilinde gösterilir.",
    "ڈیمو مواد کے لیے فرضی پروفائل۔ یہاں کسی حقیقی مقرر کا مختصر تعارف قاری کی اپنی زبان "
    "میں دکھایا جاتا ہے۔",
)


def _speaker(letter_en, letter_ur, role):
    return {
        "name": T(
            f"Speaker {letter_en}. Placeholder",
            f"Örnek Konuşmacı {letter_en}.",
            f"فرضی مقرر {letter_ur}",
        ),
        "role": role,
        "bio": PLACEHOLDER_BIO,
    }


SPEAKERS = {
    "moderator": _speaker(
        "A", "الف", T("Plenary moderator", "Genel oturum moderatörü", "عمومی اجلاس کے ناظم")
    ),
    "academic": _speaker(
        "B",
        "ب",
        T(
            "Working group coordinator, academic work",
            "Çalışma grubu koordinatörü, akademik çalışmalar",
            "ورکنگ گروپ کوآرڈینیٹر، علمی کام",
        ),
    ),
    "social": _speaker(
        "C",
        "ج",
        T(
            "Working group coordinator, social media",
            "Çalışma grubu koordinatörü, sosyal medya",
            "ورکنگ گروپ کوآرڈینیٹر، سوشل میڈیا",
        ),
    ),
    "lobbying": _speaker(
        "D",
        "د",
        T(
            "Working group coordinator, political lobbying",
            "Çalışma grubu koordinatörü, siyasi lobicilik",
            "ورکنگ گروپ کوآرڈینیٹر، سیاسی لابنگ",
        ),
    ),
    "rights": _speaker(
        "E",
        "ہ",
        T(
            "Working group coordinator, human-rights documentation",
            "Çalışma grubu koordinatörü, insan hakları belgeleme",
            "ورکنگ گروپ کوآرڈینیٹر، انسانی حقوق کی دستاویز بندی",
        ),
    ),
    "panel": _speaker("F", "و", T("Panel speaker", "Panel konuşmacısı", "پینل کے مقرر")),
}

# Index -----------------------------------------------------------------------------------

INDEX_INTRO = T(
    "Every edition of the World Kashmir Diaspora Conference: the next one first, then the "
    "past conferences with their programmes.",
    "Dünya Keşmir Diasporası Konferansı'nın tüm buluşmaları: önce bir sonraki konferans, "
    "ardından programlarıyla birlikte geçmiş konferanslar.",
    "عالمی کشمیری ڈائسپورا کانفرنس کے تمام اجلاس: پہلے آئندہ کانفرنس، پھر گزشتہ کانفرنسیں "
    "اپنے پروگراموں سمیت۔",
)

INDEX = {
    "slug": "events",
    "show_in_menus": True,
    "title": T("Conferences", "Konferanslar", "کانفرنسیں"),
    "intro": INDEX_INTRO,
    "listing_summary": INDEX_INTRO,
}

# Programme pieces ------------------------------------------------------------------------

WELCOME = T("Registration and welcome", "Kayıt ve karşılama", "رجسٹریشن اور استقبال")
TEA = T("Tea break", "Çay arası", "چائے کا وقفہ")
LUNCH = T("Lunch", "Öğle yemeği", "دوپہر کا کھانا")

OPENING_DAY = T("Opening day", "Açılış günü", "افتتاحی دن")
WORKING_GROUPS_DAY = T("Working groups", "Çalışma grupları", "ورکنگ گروپ")

STRANDS = {
    "academic": (
        T(
            "Working group: academic work",
            "Çalışma grubu: akademik çalışmalar",
            "ورکنگ گروپ: علمی کام",
        ),
        T(
            "Research, publications and links with universities.",
            "Araştırma, yayınlar ve üniversitelerle bağlantılar.",
            "تحقیق، اشاعتیں اور جامعات سے روابط۔",
        ),
    ),
    "social": (
        T(
            "Working group: social media",
            "Çalışma grubu: sosyal medya",
            "ورکنگ گروپ: سوشل میڈیا",
        ),
        T(
            "Telling the story of Kashmir online, in many languages.",
            "Keşmir'in hikâyesini internette, birçok dilde anlatmak.",
            "کشمیر کی کہانی آن لائن، کئی زبانوں میں بیان کرنا۔",
        ),
    ),
    "lobbying": (
        T(
            "Working group: political lobbying",
            "Çalışma grubu: siyasi lobicilik",
            "ورکنگ گروپ: سیاسی لابنگ",
        ),
        T(
            "Working with parliaments, governments and international bodies.",
            "Parlamentolar, hükümetler ve uluslararası kuruluşlarla çalışmak.",
            "پارلیمانوں، حکومتوں اور بین الاقوامی اداروں کے ساتھ کام۔",
        ),
    ),
    "rights": (
        T(
            "Working group: documenting human-rights violations",
            "Çalışma grubu: insan hakları ihlallerinin belgelenmesi",
            "ورکنگ گروپ: انسانی حقوق کی خلاف ورزیوں کی دستاویز بندی",
        ),
        T(
            "Recording violations in Jammu and Kashmir carefully and consistently.",
            "Cammu Keşmir'deki ihlalleri özenle ve tutarlı biçimde kayıt altına almak.",
            "جموں و کشمیر میں خلاف ورزیوں کا احتیاط اور تسلسل کے ساتھ ریکارڈ رکھنا۔",
        ),
    ),
}

REPORT_BACK = T(
    "Plenary: the working groups report back",
    "Genel oturum: çalışma gruplarının raporları",
    "عمومی اجلاس: ورکنگ گروپوں کی رپورٹیں",
)


def _item(value):
    """A ListBlock item in Wagtail's block format, with its id. wagtail-localize extracts
    no segment from a list stored in the older bare format (it would not be stable), so
    session texts and speakers would stay untranslated."""
    return {"type": "item", "value": value, "id": str(uuid.uuid4())}


def session(start, end, title, kind, *, room=MAIN_HALL, description="", speakers=()):
    return _item(
        {
            "start": start,
            "end": end,
            "title": title,
            "kind": kind,
            "description": description,
            "room": room,
            "speakers": [_item(pk) for pk in speakers],
        }
    )


def day(date, title, *sessions):
    return ("day", {"date": date.isoformat(), "title": title, "sessions": list(sessions)})


def working_group_day(date, s):
    """The four strands' working groups, two at a time, one per room."""
    return day(
        date,
        WORKING_GROUPS_DAY,
        *(
            session(
                "09:30",
                "12:30",
                STRANDS[strand][0],
                "working_group",
                room=room,
                description=STRANDS[strand][1],
                speakers=[s[strand]],
            )
            for strand, room in (("academic", ROOM_1), ("social", ROOM_2))
        ),
        session("12:30", "14:00", LUNCH, "break", room=""),
        *(
            session(
                "14:00",
                "17:00",
                STRANDS[strand][0],
                "working_group",
                room=room,
                description=STRANDS[strand][1],
                speakers=[s[strand]],
            )
            for strand, room in (("lobbying", ROOM_1), ("rights", ROOM_2))
        ),
    )


def coordinators(s):
    return [s["academic"], s["social"], s["lobbying"], s["rights"]]


# The 1st conference, 2–4 January 2020 ----------------------------------------------------

FIRST_STRAPLINE = T(
    "Diaspora groups and individuals of every generation agree a shared action plan",
    "Her kuşaktan diaspora grupları ve bireyler ortak bir eylem planında buluşuyor",
    "ہر نسل سے تعلق رکھنے والی تارکینِ وطن کی تنظیمیں اور افراد ایک مشترکہ لائحۂ عمل پر متفق",
)


def first_conference(s):
    return {
        "slug": "first-conference",
        "title": T(
            "1st World Kashmir Diaspora Conference",
            "1. Dünya Keşmir Diasporası Konferansı",
            "پہلی عالمی کشمیری ڈائسپورا کانفرنس",
        ),
        "strapline": FIRST_STRAPLINE,
        "introduction": T(
            "Kashmiri diaspora groups and individuals from around the world met in Istanbul, "
            "among them young Kashmiris from the region with a wide range of "
            "specialisations. Together they drew up an action plan and formed a working group "
            "for each of its strands.",
            "Dünyanın dört bir yanından Keşmirli diaspora grupları ve bireyler, aralarında "
            "bölgeden gelen ve farklı alanlarda uzmanlaşmış genç Keşmirlilerin de bulunduğu "
            "bir buluşmada İstanbul'da bir araya geldi. Birlikte bir eylem planı hazırladılar "
            "ve planın her alanı için bir çalışma grubu kurdular.",
            "دنیا بھر سے کشمیری تارکینِ وطن کی تنظیمیں اور افراد استنبول میں جمع ہوئے، جن میں "
            "خطے سے تعلق رکھنے والے مختلف شعبوں کے ماہر نوجوان کشمیری بھی شامل تھے۔ انہوں نے "
            "مل کر ایک لائحۂ عمل تیار کیا اور اس کے ہر شعبے کے لیے ایک ورکنگ گروپ تشکیل دیا۔",
        ),
        "city": ISTANBUL,
        "country": TURKEY,
        "country_code": "TR",
        "body": stream(
            (
                "heading",
                {
                    "text": T("Four strands of work", "Dört çalışma alanı", "کام کے چار شعبے"),
                    "level": "h2",
                },
            ),
            (
                "paragraph",
                Para(
                    T(
                        "The action plan has four strands: academic work, social media, "
                        "political lobbying, and documenting human-rights violations in Jammu "
                        "and Kashmir. Participants joined the working group of the strand "
                        "closest to their skills.",
                        "Eylem planı dört alandan oluşur: akademik çalışmalar, sosyal medya, "
                        "siyasi lobicilik ve Cammu Keşmir'deki insan hakları ihlallerinin "
                        "belgelenmesi. Katılımcılar, becerilerine en yakın alanın çalışma "
                        "grubuna katıldı.",
                        "لائحۂ عمل کے چار شعبے ہیں: علمی کام، سوشل میڈیا، سیاسی لابنگ، اور جموں "
                        "و کشمیر میں انسانی حقوق کی خلاف ورزیوں کی دستاویز بندی۔ شرکاء نے اس "
                        "شعبے کے ورکنگ گروپ میں شمولیت اختیار کی جو ان کی صلاحیتوں سے سب سے "
                        "زیادہ مطابقت رکھتا تھا۔",
                    )
                ),
            ),
            (
                "heading",
                {
                    "text": T(
                        "A gathering of equals", "Eşitlerin buluşması", "برابری کی بنیاد پر اجتماع"
                    ),
                    "level": "h2",
                },
            ),
            (
                "paragraph",
                Para(
                    T(
                        "Teamwork and transparency guided the conference: collaboration "
                        "between groups, with room for each participant's own initiative and "
                        "autonomy.",
                        "Konferansa ekip çalışması ve şeffaflık yön verdi: gruplar arasında iş "
                        "birliği ve her katılımcının kendi girişimine ve özerkliğine yer "
                        "bırakan bir anlayış.",
                        "کانفرنس کی رہنمائی ٹیم ورک اور شفافیت نے کی: تنظیموں کے درمیان باہمی "
                        "تعاون، اور ساتھ ہی ہر شریک کے ذاتی اقدام اور خود مختاری کی گنجائش۔",
                    )
                ),
            ),
        ),
        "programme": stream(
            day(
                dt.date(2020, 1, 2),
                OPENING_DAY,
                session("09:00", "09:45", WELCOME, "social"),
                session(
                    "10:00",
                    "11:30",
                    T(
                        "Opening plenary: why the diaspora meets",
                        "Açılış genel oturumu: diaspora neden bir araya geliyor",
                        "افتتاحی عمومی اجلاس: تارکینِ وطن کیوں اکٹھے ہوتے ہیں",
                    ),
                    "plenary",
                    description=T(
                        "Introductions, the aims of the conference and how the working groups "
                        "will be formed.",
                        "Tanışma, konferansın amaçları ve çalışma gruplarının nasıl "
                        "oluşturulacağı.",
                        "تعارف، کانفرنس کے مقاصد، اور ورکنگ گروپوں کی تشکیل کا طریقہ۔",
                    ),
                    speakers=[s["moderator"]],
                ),
                session("11:30", "12:00", TEA, "break", room=""),
                session(
                    "12:00",
                    "13:30",
                    T(
                        "Panel: generations of the diaspora in conversation",
                        "Panel: diasporanın kuşakları arasında söyleşi",
                        "پینل: تارکینِ وطن کی مختلف نسلوں کے درمیان مکالمہ",
                    ),
                    "panel",
                    description=T(
                        "Long-standing activists and young Kashmiris from the region compare "
                        "experience and specialisations.",
                        "Uzun yıllardır çalışan aktivistler ile bölgeden gelen genç Keşmirliler "
                        "deneyimlerini ve uzmanlıklarını paylaşıyor.",
                        "دیرینہ کارکن اور خطے سے تعلق رکھنے والے نوجوان کشمیری اپنے تجربات اور "
                        "مہارتوں کا تبادلہ کرتے ہیں۔",
                    ),
                    speakers=[s["panel"], s["moderator"]],
                ),
                session("13:30", "14:30", LUNCH, "break", room=""),
                session(
                    "14:30",
                    "17:00",
                    T(
                        "Plenary: drafting the action plan",
                        "Genel oturum: eylem planının taslağı",
                        "عمومی اجلاس: لائحۂ عمل کا مسودہ",
                    ),
                    "plenary",
                    speakers=[s["moderator"]],
                ),
            ),
            working_group_day(dt.date(2020, 1, 3), s),
            day(
                dt.date(2020, 1, 4),
                T("Action plan", "Eylem planı", "لائحۂ عمل"),
                session("10:00", "12:00", REPORT_BACK, "plenary", speakers=coordinators(s)),
                session("12:00", "12:30", TEA, "break", room=""),
                session(
                    "12:30",
                    "14:00",
                    T(
                        "Closing plenary: adopting the action plan",
                        "Kapanış genel oturumu: eylem planının kabulü",
                        "اختتامی عمومی اجلاس: لائحۂ عمل کی منظوری",
                    ),
                    "plenary",
                    speakers=[s["moderator"]],
                ),
            ),
        ),
    }


# The 2nd conference, 18–20 December 2020 -------------------------------------------------


def second_conference(s):
    return {
        "slug": "second-conference",
        "title": T(
            "2nd World Kashmir Diaspora Conference",
            "2. Dünya Keşmir Diasporası Konferansı",
            "دوسری عالمی کشمیری ڈائسپورا کانفرنس",
        ),
        "strapline": T(
            "A year of work reported, and the road to a united front",
            "Bir yılın çalışmaları ve birleşik bir cepheye giden yol",
            "ایک سال کے کام کا جائزہ، اور متحدہ محاذ کی جانب سفر",
        ),
        "introduction": T(
            "The second conference reported on the developments and achievements of the year "
            "since the first, reached more stakeholders across specialisations and worked "
            "towards a united front that represents the aspirations of the people of the "
            "region.",
            "İkinci konferans, ilk konferanstan bu yana geçen yılın gelişmelerini ve "
            "kazanımlarını paylaştı, farklı uzmanlık alanlarından daha fazla paydaşa ulaştı ve "
            "bölge halkının isteklerini temsil eden birleşik bir cephe için çalıştı.",
            "دوسری کانفرنس میں پہلی کانفرنس کے بعد کے سال کی پیش رفت اور کامیابیوں کا جائزہ پیش "
            "کیا گیا، مختلف شعبوں سے مزید متعلقین تک رسائی حاصل کی گئی، اور ایک ایسے متحدہ محاذ "
            "کی جانب کام کیا گیا جو خطے کے عوام کی امنگوں کی ترجمانی کرے۔",
        ),
        "city": ISTANBUL,
        "country": TURKEY,
        "country_code": "TR",
        "body": stream(
            (
                "heading",
                {"text": T("Who took part", "Kimler katıldı", "شرکاء کون تھے"), "level": "h2"},
            ),
            (
                "paragraph",
                Para(
                    T(
                        "Participants included political figures from Azad Kashmir and "
                        "Gilgit-Baltistan and supporters from around the world, alongside the "
                        "members of the four working groups.",
                        "Katılımcılar arasında dört çalışma grubunun üyelerinin yanı sıra Azad "
                        "Keşmir ve Gilgit-Baltistan'dan siyasetçiler ile dünyanın dört bir "
                        "yanından destekçiler vardı.",
                        "شرکاء میں چاروں ورکنگ گروپوں کے ارکان کے ساتھ ساتھ آزاد کشمیر اور گلگت "
                        "بلتستان کی سیاسی شخصیات اور دنیا بھر سے حامی شامل تھے۔",
                    )
                ),
            ),
        ),
        "programme": stream(
            day(
                dt.date(2020, 12, 18),
                T("A year of work", "Bir yıllık çalışma", "ایک سال کا کام"),
                session("09:30", "10:00", WELCOME, "social"),
                session(
                    "10:00",
                    "11:30",
                    T(
                        "Opening plenary: the year since the first conference",
                        "Açılış genel oturumu: ilk konferanstan bu yana geçen yıl",
                        "افتتاحی عمومی اجلاس: پہلی کانفرنس کے بعد کا ایک سال",
                    ),
                    "plenary",
                    speakers=[s["moderator"]],
                ),
                session("11:30", "12:00", TEA, "break", room=""),
                session(
                    "12:00",
                    "13:30",
                    T(
                        "Panel: what the working groups achieved",
                        "Panel: çalışma gruplarının kazanımları",
                        "پینل: ورکنگ گروپوں کی کامیابیاں",
                    ),
                    "panel",
                    speakers=coordinators(s),
                ),
                session("13:30", "14:30", LUNCH, "break", room=""),
                session(
                    "14:30",
                    "17:00",
                    T(
                        "Panel: voices from Azad Kashmir and Gilgit-Baltistan",
                        "Panel: Azad Keşmir ve Gilgit-Baltistan'dan sesler",
                        "پینل: آزاد کشمیر اور گلگت بلتستان سے آوازیں",
                    ),
                    "panel",
                    speakers=[s["panel"]],
                ),
            ),
            working_group_day(dt.date(2020, 12, 19), s),
            day(
                dt.date(2020, 12, 20),
                T("Towards a united front", "Birleşik bir cepheye doğru", "متحدہ محاذ کی جانب"),
                session(
                    "10:00",
                    "12:00",
                    T(
                        "Plenary: towards a united front",
                        "Genel oturum: birleşik bir cepheye doğru",
                        "عمومی اجلاس: متحدہ محاذ کی جانب",
                    ),
                    "plenary",
                    description=T(
                        "How the diaspora can speak together for the aspirations of the people "
                        "of the region.",
                        "Diasporanın bölge halkının istekleri için nasıl tek ses olabileceği.",
                        "تارکینِ وطن خطے کے عوام کی امنگوں کے لیے یک زبان ہو کر کیسے آواز اٹھا "
                        "سکتے ہیں۔",
                    ),
                    speakers=[s["moderator"], s["panel"]],
                ),
                session(
                    "12:00",
                    "13:00",
                    T(
                        "Closing plenary: plans for the coming year",
                        "Kapanış genel oturumu: gelecek yılın planları",
                        "اختتامی عمومی اجلاس: آئندہ سال کے منصوبے",
                    ),
                    "plenary",
                    speakers=[s["moderator"]],
                ),
            ),
        ),
    }


# The next edition, dated from the day the demo is loaded ---------------------------------


def next_conference_dates(today=None):
    """18–20 December this year while that is still ahead, else next year."""
    today = today or timezone.localdate()
    year = today.year if dt.date(today.year, 12, 18) > today else today.year + 1
    return dt.date(year, 12, 18), dt.date(year, 12, 20)


def next_conference(s, first_day):
    days = [first_day + dt.timedelta(days=n) for n in range(3)]
    return {
        "slug": "next-conference",
        "title": T(
            "The next World Kashmir Diaspora Conference",
            "Bir sonraki Dünya Keşmir Diasporası Konferansı",
            "آئندہ عالمی کشمیری ڈائسپورا کانفرنس",
        ),
        "strapline": T(
            "The next edition of the conference, in Istanbul",
            "Konferansın bir sonraki buluşması İstanbul'da",
            "کانفرنس کا اگلا اجلاس، استنبول میں",
        ),
        "introduction": T(
            "The next edition brings the working groups together again to report on their "
            "progress, welcomes new participants to each strand and agrees the plan for the "
            "year ahead. Registration is through the form on this site.",
            "Bir sonraki buluşma, çalışma gruplarını ilerlemelerini paylaşmak üzere yeniden bir "
            "araya getiriyor, her alana yeni katılımcıları kabul ediyor ve önümüzdeki yılın "
            "planını belirliyor. Kayıtlar bu sitedeki form aracılığıyla yapılır.",
            "اگلا اجلاس ورکنگ گروپوں کو اپنی پیش رفت کا جائزہ پیش کرنے کے لیے ایک بار پھر یکجا "
            "کرے گا، ہر شعبے میں نئے شرکاء کا خیرمقدم کرے گا اور آنے والے سال کا لائحۂ عمل طے "
            "کرے گا۔ رجسٹریشن اس ویب سائٹ پر دیے گئے فارم کے ذریعے ہوتی ہے۔",
        ),
        # An example venue (the demo's facts name none): the venue block, its map link and
        # the structured data's address show with it.
        "venue_name": T("Example Congress Centre", "Örnek Kongre Merkezi", "مثالی کانگریس سینٹر"),
        "street_address": T("Örnek Caddesi 1", "Örnek Caddesi 1", "Örnek Caddesi 1"),
        "postal_code": "34000",
        "city": ISTANBUL,
        "country": TURKEY,
        "country_code": "TR",
        "body": stream(
            (
                "heading",
                {"text": T("Who should come", "Kimler katılmalı", "کون شرکت کرے"), "level": "h2"},
            ),
            (
                "paragraph",
                Para(
                    T(
                        "Members of the Kashmiri diaspora of every generation and profession, "
                        "and everyone who supports the aspirations of the people of the "
                        "region. Newcomers are welcome in every working group.",
                        "Her kuşaktan ve her meslekten Keşmir diasporası mensupları ile bölge "
                        "halkının isteklerini destekleyen herkes. Yeni katılımcılar her çalışma "
                        "grubunda memnuniyetle karşılanır.",
                        "ہر نسل اور ہر پیشے سے تعلق رکھنے والے کشمیری تارکینِ وطن، اور ہر وہ "
                        "شخص جو خطے کے عوام کی امنگوں کی حمایت کرتا ہے۔ ہر ورکنگ گروپ میں نئے "
                        "شرکاء کا خیرمقدم ہے۔",
                    )
                ),
            ),
        ),
        "programme": stream(
            day(
                days[0],
                OPENING_DAY,
                session("09:30", "10:00", WELCOME, "social"),
                session(
                    "10:00",
                    "11:30",
                    T(
                        "Opening plenary: the year in review",
                        "Açılış genel oturumu: geride kalan yıl",
                        "افتتاحی عمومی اجلاس: گزشتہ سال کا جائزہ",
                    ),
                    "plenary",
                    speakers=[s["moderator"]],
                ),
                session("11:30", "12:00", TEA, "break", room=""),
                session(
                    "12:00",
                    "13:30",
                    T(
                        "Panel: new voices from the region",
                        "Panel: bölgeden yeni sesler",
                        "پینل: خطے سے نئی آوازیں",
                    ),
                    "panel",
                    speakers=[s["panel"]],
                ),
                session("13:30", "14:30", LUNCH, "break", room=""),
                session(
                    "14:30",
                    "16:30",
                    T(
                        "Workshop: working across the four strands",
                        "Atölye: dört alan arasında ortak çalışma",
                        "ورکشاپ: چاروں شعبوں کے درمیان مشترکہ کام",
                    ),
                    "workshop",
                    room=ROOM_1,
                    speakers=[s["academic"], s["social"]],
                ),
            ),
            working_group_day(days[1], s),
            day(
                days[2],
                T("The year ahead", "Önümüzdeki yıl", "آنے والا سال"),
                session("10:00", "12:00", REPORT_BACK, "plenary", speakers=coordinators(s)),
                session("12:00", "12:30", TEA, "break", room=""),
                session(
                    "12:30",
                    "14:00",
                    T(
                        "Closing plenary: the plan for the year ahead",
                        "Kapanış genel oturumu: önümüzdeki yılın planı",
                        "اختتامی عمومی اجلاس: آنے والے سال کا لائحۂ عمل",
                    ),
                    "plenary",
                    speakers=[s["moderator"]],
                ),
            ),
        ),
    }


# Loading ---------------------------------------------------------------------------------


HERO_IMAGES = {
    "first-conference": "Conference January 2020",
    "second-conference": "Conference December 2020",
    "next-conference": "Next conference",
}


def _at(date, hour, minute, zone_name=DEFAULT_TIME_ZONE):
    return dt.datetime.combine(date, dt.time(hour, minute), tzinfo=zone(zone_name))


def load(out):
    out("Events")
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if home is None:
        out("  no home page: skipped")
        return
    # Wagtail updates its reference index (the admin's "usage" counts) after every save of
    # every translation step; doing it once per object at the end makes this load about
    # twice as fast.
    with disable_reference_index_auto_update():
        changed = build(home, out)
    if changed:
        for model in (Organiser, Partner, Speaker, EventIndexPage, EventPage):
            for instance in model.objects.all():
                ReferenceIndex.create_or_update_for_object(instance)
        logos = [f"Logo: {spec['name'].en}" for spec in PARTNERS]
        titles = [*HERO_IMAGES.values(), *logos]
        for image in get_image_model().objects.filter(title__in=titles):
            ReferenceIndex.create_or_update_for_object(image)


def build(home, out):
    """Create whatever is missing; True when anything was created or translated."""
    changed = False

    def track(result):
        nonlocal changed
        changed = changed or bool(result)

    # Snippets first: a translated event points at the translated speakers.
    organisers = []
    for spec in ORGANISERS:
        organiser, created = ensure_snippet(Organiser, {"name": spec["name"].en}, spec, out)
        track(created)
        track(ensure_translations(organiser, spec, out))
        organisers.append(organiser)
    partners = []
    for spec in PARTNERS:
        partner, created = ensure_snippet(Partner, {"name": spec["name"].en}, spec, out)
        if created:
            partner.logo, _ = demo_logo(spec["name"].en)
            partner.save(update_fields=["logo"])
        track(created)
        track(ensure_translations(partner, spec, out))
        partners.append(partner)
    speakers = {}
    for key, spec in SPEAKERS.items():
        speaker, created = ensure_snippet(Speaker, {"name": spec["name"].en}, spec, out)
        track(created)
        track(ensure_translations(speaker, spec, out))
        speakers[key] = speaker.pk

    # Tree order: the index (and its translations) before the events under it.
    index, created = ensure_child_page(home, EventIndexPage, INDEX, out)
    track(created)
    track(ensure_translations(index, INDEX, out))

    next_start, next_end = next_conference_dates()
    next_start_at = _at(next_start, 9, 30)
    editions = [
        (
            first_conference(speakers),
            _at(dt.date(2020, 1, 2), 9, 0),
            _at(dt.date(2020, 1, 4), 14, 0),
        ),
        (
            second_conference(speakers),
            _at(dt.date(2020, 12, 18), 9, 30),
            _at(dt.date(2020, 12, 20), 13, 0),
        ),
        (
            next_conference(speakers, next_start),
            next_start_at,
            _at(next_end, 14, 0),
        ),
    ]
    for spec, start, end in editions:
        extra = {}
        if not index.get_children().filter(slug=spec["slug"]).exists():
            title = HERO_IMAGES[spec["slug"]]
            hero, _ = demo_image(title, size=(1600, 600))
            extra = {
                "start": start,
                "end": end,
                "time_zone": DEFAULT_TIME_ZONE,
                "hero_image": hero,
                "organisers": [
                    EventOrganiser(organiser=organiser, sort_order=position)
                    for position, organiser in enumerate(organisers)
                ],
                "partners": [
                    EventPartner(partner=partner, sort_order=position)
                    for position, partner in enumerate(partners)
                ],
            }
        if extra and start == next_start_at:
            # The next edition is hybrid: its join link goes to online registrants only.
            extra.update(attendance_mode=AttendanceMode.MIXED, online_url=NEXT_JOIN_URL)
        event, created = ensure_child_page(index, EventPage, spec, out, **extra)
        track(created)
        track(ensure_translations(event, spec, out))
    return changed
