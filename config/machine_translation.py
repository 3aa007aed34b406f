"""wagtail-localize's machine translator, configured from the environment.

Off unless a language is given an engine: `MACHINE_TRANSLATION_TR=deepl`,
`MACHINE_TRANSLATION_UR=libretranslate` … (one variable per site language other than the
source). Each engine takes its own variables:

- LibreTranslate (self-hostable; keeps the text in-house): `LIBRETRANSLATE_URL`,
  `LIBRETRANSLATE_API_KEY` (if the server asks for one).
- DeepL: `DEEPL_AUTH_KEY`, `DEEPL_API_URL` (default: the free or pro endpoint the key
  belongs to). Languages DeepL translates as plain text only (`DEEPL_TEXT_ONLY_LANGUAGES`,
  default `ur`) are sent without their inline tags, which are put back after.
- Google Cloud Translation: `GOOGLE_CLOUD_PROJECT_ID`, `GOOGLE_APPLICATION_CREDENTIALS`
  (needs the `google-cloud-translate` package).

`MACHINE_TRANSLATION_TIMEOUT` bounds each request (seconds, default 10). Built here from
plain values only: settings must not import the apps (home/machine_translation.py holds
the translators)."""

ENGINES = {
    "libretranslate": "home.machine_translation.LibreTranslateTranslator",
    "deepl": "home.machine_translation.DeepLTranslator",
    "google": "wagtail_localize.machine_translators.google.GoogleCloudTranslator",
}


class MachineTranslationConfigError(ValueError):
    pass


def engine_options(engine, environ, timeout):
    if engine == "libretranslate":
        url = environ.get("LIBRETRANSLATE_URL", "").rstrip("/")
        if not url:
            raise MachineTranslationConfigError("LibreTranslate needs LIBRETRANSLATE_URL")
        return {
            "LIBRETRANSLATE_URL": url,
            "API_KEY": environ.get("LIBRETRANSLATE_API_KEY", ""),
            "TIMEOUT": timeout,
        }
    if engine == "deepl":
        key = environ.get("DEEPL_AUTH_KEY", "")
        if not key:
            raise MachineTranslationConfigError("DeepL needs DEEPL_AUTH_KEY")
        text_only = environ.get("DEEPL_TEXT_ONLY_LANGUAGES", "ur")
        return {
            "AUTH_KEY": key,
            "API_URL": environ.get("DEEPL_API_URL", ""),
            "TEXT_ONLY_LANGUAGES": [code.strip() for code in text_only.split(",") if code.strip()],
            "TIMEOUT": timeout,
        }
    if engine == "google":
        return {
            "PROJECT_ID": environ.get("GOOGLE_CLOUD_PROJECT_ID", ""),
            "CREDENTIALS_PATH": environ.get("GOOGLE_APPLICATION_CREDENTIALS", ""),
        }
    raise MachineTranslationConfigError(
        f"Unknown machine translation engine {engine!r} (one of: {', '.join(ENGINES)})"
    )


def machine_translator_setting(environ, language_codes):
    """`WAGTAILLOCALIZE_MACHINE_TRANSLATOR` for the languages given an engine in
    `environ`, or None when none is (machine translation off)."""
    timeout = float(environ.get("MACHINE_TRANSLATION_TIMEOUT", "10"))
    routes = {}
    for code in language_codes:
        engine = environ.get(f"MACHINE_TRANSLATION_{code.upper()}", "").strip().lower()
        if engine:
            if engine not in ENGINES:
                engine_options(engine, environ, timeout)  # raises with the choices
            routes[code] = {
                "CLASS": ENGINES[engine],
                "OPTIONS": engine_options(engine, environ, timeout),
            }
    if not routes:
        return None
    return {
        "CLASS": "home.machine_translation.LanguageRouterTranslator",
        "OPTIONS": {"ROUTES": routes},
    }
