"""The demo's home and content pages in English, Turkish and Urdu. Text is written for the
demo from the organisers' published facts (names, dates, places, themes)."""

from .text import Para, T, stream

SITE_TITLE = T(
    "World Kashmir Diaspora Conference",
    "Dünya Keşmir Diasporası Konferansı",
    "عالمی کشمیری ڈائسپورا کانفرنس",
)

HOME = {
    "title": SITE_TITLE,
    "hero_title": T(
        "Kashmiris around the world, working together",
        "Dünyanın dört bir yanındaki Keşmirliler, birlikte çalışıyor",
        "دنیا بھر کے کشمیری، مل کر کام کرتے ہوئے",
    ),
    "hero_intro": T(
        "A yearly gathering in Istanbul where the Kashmiri diaspora, across generations "
        "and professions, reports on its work and plans the next year together.",
        "Keşmir diasporasının kuşaklar ve meslekler ötesinde bir araya geldiği, yaptığı "
        "çalışmaları paylaştığı ve gelecek yılı birlikte planladığı İstanbul'daki yıllık "
        "buluşma.",
        "استنبول میں ہر سال ہونے والا اجتماع، جہاں ہر نسل اور ہر شعبے سے تعلق رکھنے والے "
        "کشمیری تارکینِ وطن اپنے کام کا جائزہ لیتے ہیں اور اگلے سال کا لائحۂ عمل مل کر طے "
        "کرتے ہیں۔",
    ),
    "search_description": T(
        "The World Kashmir Diaspora Conference: a yearly meeting of the Kashmiri diaspora "
        "in Istanbul.",
        "Dünya Keşmir Diasporası Konferansı: Keşmir diasporasının İstanbul'daki yıllık toplantısı.",
        "عالمی کشمیری ڈائسپورا کانفرنس: استنبول میں کشمیری تارکینِ وطن کا سالانہ اجلاس۔",
    ),
}

HOME_BODY = [
    (
        "heading",
        {"text": T("Why we meet", "Neden bir araya geliyoruz", "ہم کیوں ملتے ہیں"), "level": "h2"},
    ),
    (
        "paragraph",
        Para(
            T(
                "The first conference, in January 2020, brought together diaspora groups and "
                "individuals, from long-standing activists to young Kashmiris from the region "
                "with a wide range of specialisations. It ended with a shared action plan.",
                "Ocak 2020'deki ilk konferans, uzun yıllardır çalışan aktivistlerden bölgeden "
                "gelen ve farklı alanlarda uzmanlaşmış genç Keşmirlilere kadar diaspora "
                "gruplarını ve bireyleri bir araya getirdi. Konferans ortak bir eylem planıyla "
                "sona erdi.",
                "جنوری 2020 میں ہونے والی پہلی کانفرنس نے تارکینِ وطن کی تنظیموں اور افراد کو "
                "یکجا کیا، جن میں دیرینہ کارکنوں سے لے کر خطے کے مختلف شعبوں میں مہارت رکھنے "
                "والے نوجوان کشمیری شامل تھے۔ کانفرنس ایک مشترکہ لائحۂ عمل پر اختتام پذیر ہوئی۔",
            )
        ),
    ),
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
                "Academic work, social media, political lobbying and the documentation of "
                "human-rights violations in Jammu and Kashmir. Each strand has its own working "
                "group that coordinates action between conferences.",
                "Akademik çalışmalar, sosyal medya, siyasi lobicilik ve Cammu Keşmir'deki "
                "insan hakları ihlallerinin belgelenmesi. Her alanın, konferanslar arasında "
                "çalışmaları koordine eden kendi çalışma grubu vardır.",
                "علمی کام، سوشل میڈیا، سیاسی لابنگ، اور جموں و کشمیر میں انسانی حقوق کی "
                "خلاف ورزیوں کی دستاویز بندی۔ ہر شعبے کا اپنا ورکنگ گروپ ہے جو کانفرنسوں کے "
                "درمیان سرگرمیوں کو مربوط کرتا ہے۔",
            )
        ),
    ),
    (
        "quote",
        {
            "quote": T(
                "A gathering of equals: teamwork and transparency, with room for every "
                "member to take their own initiative.",
                "Eşitlerin buluşması: ekip çalışması ve şeffaflık, her katılımcının kendi "
                "girişimine de yer bırakarak.",
                "برابری کی بنیاد پر ایک اجتماع: ٹیم ورک اور شفافیت، جس میں ہر رکن کے ذاتی "
                "اقدام کی گنجائش بھی باقی رہتی ہے۔",
            ),
            "attribution": T("The spirit of the conference", "Konferansın ruhu", "کانفرنس کی روح"),
        },
    ),
]

HOME_CALL_TO_ACTION = {
    "title": T("About the conference", "Konferans hakkında", "کانفرنس کے بارے میں"),
    "text": T(
        "Who organises it, how it works and what it has achieved so far.",
        "Kimin düzenlediği, nasıl işlediği ve bugüne kadar neler başardığı.",
        "اسے کون منعقد کرتا ہے، یہ کیسے کام کرتی ہے اور اب تک اس نے کیا حاصل کیا ہے۔",
    ),
    "button_label": T("Read more", "Devamını oku", "مزید پڑھیں"),
}

ABOUT_INTRO = T(
    "The World Kashmir Diaspora Conference is a yearly meeting in Istanbul of Kashmiri "
    "diaspora organisations and individuals from around the world.",
    "Dünya Keşmir Diasporası Konferansı, dünyanın dört bir yanından Keşmirli diaspora "
    "kuruluşlarının ve bireylerin İstanbul'da yılda bir kez bir araya geldiği bir "
    "toplantıdır.",
    "عالمی کشمیری ڈائسپورا کانفرنس دنیا بھر سے کشمیری تارکینِ وطن کی تنظیموں اور افراد کا "
    "استنبول میں ہونے والا سالانہ اجلاس ہے۔",
)

ABOUT = {
    "slug": "about",
    "show_in_menus": True,
    "title": T("About the conference", "Konferans hakkında", "کانفرنس کے بارے میں"),
    "intro": ABOUT_INTRO,
    "listing_summary": ABOUT_INTRO,
    "body": stream(
        ("heading", {"text": T("How it started", "Nasıl başladı", "آغاز کیسے ہوا"), "level": "h2"}),
        (
            "paragraph",
            Para(
                T(
                    "The first conference met in Istanbul from 2 to 4 January 2020. "
                    "Participants from several generations agreed an action plan and formed "
                    "working groups to carry it out.",
                    "İlk konferans 2-4 Ocak 2020 tarihlerinde İstanbul'da toplandı. Farklı "
                    "kuşaklardan katılımcılar bir eylem planı üzerinde uzlaştı ve bu planı "
                    "hayata geçirmek için çalışma grupları kurdu.",
                    "پہلی کانفرنس 2 سے 4 جنوری 2020 تک استنبول میں منعقد ہوئی۔ مختلف نسلوں سے "
                    "تعلق رکھنے والے شرکاء نے ایک لائحۂ عمل پر اتفاق کیا اور اس پر عمل درآمد کے "
                    "لیے ورکنگ گروپ تشکیل دیے۔",
                )
            ),
        ),
        (
            "heading",
            {
                "text": T("The second conference", "İkinci konferans", "دوسری کانفرنس"),
                "level": "h2",
            },
        ),
        (
            "paragraph",
            Para(
                T(
                    "The second conference, from 18 to 20 December 2020, reported on a year "
                    "of work, reached out to more people with different specialisations and "
                    "worked towards a united front that speaks for the aspirations of the "
                    "people of the region. Political figures from Azad Kashmir and "
                    "Gilgit-Baltistan and supporters from many countries took part.",
                    "18-20 Aralık 2020 tarihlerindeki ikinci konferans, bir yıllık çalışmanın "
                    "sonuçlarını paylaştı, farklı uzmanlık alanlarından daha fazla kişiye "
                    "ulaştı ve bölge halkının isteklerini temsil eden birleşik bir cephe için "
                    "çalıştı. Azad Keşmir ve Gilgit-Baltistan'dan siyasetçiler ile birçok "
                    "ülkeden destekçiler katıldı.",
                    "18 سے 20 دسمبر 2020 تک ہونے والی دوسری کانفرنس میں ایک سال کی پیش رفت کا "
                    "جائزہ پیش کیا گیا، مختلف شعبوں کے مزید افراد تک رسائی حاصل کی گئی اور ایک "
                    "ایسے متحدہ محاذ کی جانب کام کیا گیا جو خطے کے عوام کی امنگوں کی ترجمانی "
                    "کرے۔ آزاد کشمیر اور گلگت بلتستان کی سیاسی شخصیات اور کئی ممالک سے حامیوں نے "
                    "شرکت کی۔",
                )
            ),
        ),
        (
            "heading",
            {"text": T("How we work", "Nasıl çalışıyoruz", "ہمارا طریقۂ کار"), "level": "h2"},
        ),
        (
            "paragraph",
            Para(
                T(
                    "Everyone takes part as an equal. Decisions are made openly, work is "
                    "shared between working groups, and each member is free to take "
                    "initiatives of their own.",
                    "Herkes eşit olarak katılır. Kararlar açıkça alınır, iş çalışma grupları "
                    "arasında paylaşılır ve her üye kendi girişimlerinde bulunmakta özgürdür.",
                    "ہر شریک برابر کی حیثیت سے حصہ لیتا ہے۔ فیصلے کھلے انداز میں کیے جاتے ہیں، "
                    "کام ورکنگ گروپوں میں تقسیم ہوتا ہے، اور ہر رکن اپنے طور پر اقدام کرنے میں "
                    "آزاد ہے۔",
                )
            ),
        ),
    ),
}

ORGANISERS_INTRO = T(
    "The conference is organised jointly by two organisations. No single person or group "
    "takes the credit.",
    "Konferans iki kuruluş tarafından ortaklaşa düzenlenir. Başarı tek bir kişiye ya da "
    "gruba mal edilmez.",
    "یہ کانفرنس دو تنظیمیں مل کر منعقد کرتی ہیں۔ اس کا سہرا کسی ایک فرد یا گروہ کے سر نہیں۔",
)

ORGANISERS = {
    "slug": "organisers",
    "show_in_menus": True,
    "title": T("Organisers", "Düzenleyenler", "منتظمین"),
    "intro": ORGANISERS_INTRO,
    "listing_summary": ORGANISERS_INTRO,
    "body": stream(
        (
            "heading",
            {
                "text": T(
                    "World Kashmir Awareness Forum",
                    "World Kashmir Awareness Forum",
                    "ورلڈ کشمیر اویئرنس فورم",
                ),
                "level": "h2",
            },
        ),
        (
            "heading",
            {"text": T("Kashmir Civitas", "Kashmir Civitas", "کشمیر سیوٹاس"), "level": "h2"},
        ),
        (
            "paragraph",
            Para(
                T(
                    "The two organisations plan the programme, invite participants and run "
                    "the conference together, as equal partners.",
                    "İki kuruluş programı birlikte planlar, katılımcıları davet eder ve "
                    "konferansı eşit ortaklar olarak birlikte yürütür.",
                    "دونوں تنظیمیں برابر کے شراکت داروں کی حیثیت سے مل کر پروگرام ترتیب دیتی "
                    "ہیں، شرکاء کو مدعو کرتی ہیں اور کانفرنس کا انعقاد کرتی ہیں۔",
                )
            ),
        ),
    ),
}

PRIVACY_INTRO = T(
    "What we collect when you register for the conference, why, and how long we keep it.",
    "Konferansa kaydolduğunuzda hangi bilgileri topladığımız, neden topladığımız ve ne "
    "kadar süre sakladığımız.",
    "کانفرنس کے لیے رجسٹریشن کرتے وقت ہم کون سی معلومات جمع کرتے ہیں، کیوں، اور انہیں کتنی "
    "دیر تک رکھتے ہیں۔",
)

PRIVACY = {
    "slug": "privacy",
    "show_in_menus": False,
    "title": T("Privacy notice", "Gizlilik bildirimi", "رازداری کا نوٹس"),
    "intro": PRIVACY_INTRO,
    "listing_summary": PRIVACY_INTRO,
    "body": stream(
        (
            "heading",
            {
                "text": T("What we collect", "Neler topluyoruz", "ہم کیا جمع کرتے ہیں"),
                "level": "h2",
            },
        ),
        (
            "paragraph",
            Para(
                T(
                    "Your name, email address, country of residence, affiliation and the days "
                    "you plan to attend. We use them only to organise the conference and to "
                    "contact you about it.",
                    "Adınız, e-posta adresiniz, ikamet ettiğiniz ülke, bağlı olduğunuz kurum "
                    "ve katılmayı planladığınız günler. Bu bilgileri yalnızca konferansı "
                    "düzenlemek ve sizinle konferans hakkında iletişim kurmak için kullanırız.",
                    "آپ کا نام، ای میل پتہ، رہائش کا ملک، وابستگی اور وہ دن جن میں آپ شرکت کا "
                    "ارادہ رکھتے ہیں۔ ہم یہ معلومات صرف کانفرنس کے انتظام اور اس کے بارے میں آپ "
                    "سے رابطے کے لیے استعمال کرتے ہیں۔",
                )
            ),
        ),
        (
            "heading",
            {
                "text": T(
                    "How long we keep it",
                    "Ne kadar süre saklıyoruz",
                    "ہم یہ معلومات کب تک رکھتے ہیں",
                ),
                "level": "h2",
            },
        ),
        (
            "paragraph",
            Para(
                T(
                    "Registrations are deleted a few months after the conference ends. You "
                    "can ask to see or delete your data at any time by writing to the "
                    "organisers.",
                    "Kayıtlar konferansın bitiminden birkaç ay sonra silinir. Düzenleyicilere "
                    "yazarak verilerinizi istediğiniz zaman görmeyi veya silinmesini talep "
                    "edebilirsiniz.",
                    "رجسٹریشن کا ریکارڈ کانفرنس ختم ہونے کے چند ماہ بعد حذف کر دیا جاتا ہے۔ آپ "
                    "کسی بھی وقت منتظمین کو لکھ کر اپنی معلومات دیکھنے یا حذف کرنے کی درخواست کر "
                    "سکتے ہیں۔",
                )
            ),
        ),
    ),
}

FOOTER = {
    "organisers": T(
        "Organised jointly by the World Kashmir Awareness Forum and Kashmir Civitas",
        "World Kashmir Awareness Forum ve Kashmir Civitas tarafından ortaklaşa düzenlenir",
        "ورلڈ کشمیر اویئرنس فورم اور کشمیر سیوٹاس کے باہمی اشتراک سے منعقد",
    ),
    "body": Para(T("Istanbul, Turkey", "İstanbul, Türkiye", "استنبول، ترکی")),
    "contact_email": "info@example.org",
}
