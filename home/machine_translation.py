"""Machine translators for wagtail-localize: one engine per target language, and the two
engines' clients as this site needs them.

wagtail-localize takes one translator (`WAGTAILLOCALIZE_MACHINE_TRANSLATOR`); the
`LanguageRouterTranslator` is that one, and hands each target language to the engine
configured for it (config/machine_translation.py): Turkish to DeepL and Urdu to a
self-hosted LibreTranslate, say.

The strings wagtail-localize sends carry inline tags (`<a id="a1">`, `<b>`). LibreTranslate
(`format: html`) and DeepL (`tag_handling: xml`) keep them; DeepL translates some
languages (Urdu) as plain text only, so for those the text between tags is sent alone and
the tags are put back around its translation. Every request is bounded by a timeout, and
a failure of any kind is one `MachineTranslationError` saying what went wrong, which the
admin shows to the editor (home/translation_drafts.py)."""

import re

import requests
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from wagtail_localize.machine_translators import deepl, libretranslate
from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.strings import StringValue

TAG = re.compile(r"(<[^>]*>)")


class MachineTranslationError(Exception):
    """A machine translation that did not happen, with a message for the editor."""


def _language(locale):
    return locale.language_code.split("-")[0]


def _post(engine, url, *, timeout, **kwargs):
    """POST to an engine, with every way it can fail as a `MachineTranslationError`."""
    try:
        response = requests.post(url, timeout=timeout, **kwargs)
        response.raise_for_status()
        return response.json()
    except requests.Timeout as error:
        raise MachineTranslationError(
            _("%(engine)s did not answer within %(seconds)s seconds.")
            % {"engine": engine, "seconds": f"{timeout:g}"}
        ) from error
    except requests.ConnectionError as error:
        raise MachineTranslationError(
            _("%(engine)s could not be reached.") % {"engine": engine}
        ) from error
    except requests.HTTPError as error:
        raise MachineTranslationError(
            _("%(engine)s refused the request (HTTP %(status)s).")
            % {"engine": engine, "status": error.response.status_code}
        ) from error
    except ValueError as error:  # not JSON
        raise MachineTranslationError(
            _("%(engine)s sent an answer that could not be read.") % {"engine": engine}
        ) from error


def _answers(engine, strings, texts):
    if not isinstance(texts, list) or len(texts) != len(strings):
        raise MachineTranslationError(
            _("%(engine)s sent an answer that could not be read.") % {"engine": engine}
        )
    return {string: StringValue(text) for string, text in zip(strings, texts, strict=True)}


class LibreTranslateTranslator(libretranslate.LibreTranslator):
    """LibreTranslate's `/translate`, HTML format (tags kept), the API key only when the
    server asks for one."""

    def translate(self, source_locale, target_locale, strings):
        strings = list(strings)
        body = {
            "q": [string.data for string in strings],
            "source": _language(source_locale),
            "target": _language(target_locale),
            "format": "html",
        }
        if self.options.get("API_KEY"):
            body["api_key"] = self.options["API_KEY"]
        answer = _post(
            self.display_name,
            self.get_api_endpoint() + "/translate",
            json=body,
            timeout=float(self.get_timeout()),
        )
        texts = answer.get("translatedText") if isinstance(answer, dict) else None
        return _answers(self.display_name, strings, texts)


class DeepLTranslator(deepl.DeepLTranslator):
    """DeepL's `/v2/translate`. For the `TEXT_ONLY_LANGUAGES` (DeepL has no tag handling
    for them) the text between tags is translated on its own and the tags put back."""

    def get_api_endpoint(self):
        return self.options.get("API_URL") or super().get_api_endpoint()

    def _request(self, source_locale, target_locale, texts):
        parameters = {
            "text": texts,
            "source_lang": deepl.language_code(source_locale.language_code),
            "target_lang": deepl.language_code(target_locale.language_code, is_target=True),
        }
        if not self._text_only(target_locale):
            parameters["tag_handling"] = "xml"
        answer = _post(
            self.display_name,
            self.get_api_endpoint(),
            data=parameters,
            headers=self.get_headers(),
            timeout=float(self.options.get("TIMEOUT", 10)),
        )
        translations = answer.get("translations") if isinstance(answer, dict) else None
        if not isinstance(translations, list):
            raise MachineTranslationError(
                _("%(engine)s sent an answer that could not be read.")
                % {"engine": self.display_name}
            )
        return [item.get("text", "") for item in translations]

    def _text_only(self, locale):
        return _language(locale) in self.options.get("TEXT_ONLY_LANGUAGES", ())

    def translate(self, source_locale, target_locale, strings):
        strings = list(strings)
        if not self._text_only(target_locale):
            texts = self._request(source_locale, target_locale, [s.data for s in strings])
            return _answers(self.display_name, strings, texts)
        # Each string as its tags and the text between them; the text alone is sent.
        pieces = [TAG.split(string.data) for string in strings]
        wanted = [
            piece.strip()
            for parts in pieces
            for piece in parts
            if piece and not TAG.fullmatch(piece) and piece.strip()
        ]
        translated = iter(
            _answers(
                self.display_name,
                wanted,
                self._request(source_locale, target_locale, wanted) if wanted else [],
            ).values()
        )
        result = {}
        for string, parts in zip(strings, pieces, strict=True):
            out = []
            for piece in parts:
                if piece and not TAG.fullmatch(piece) and piece.strip():
                    # Keep the spaces around the text, which DeepL trims.
                    lead = piece[: len(piece) - len(piece.lstrip())]
                    trail = piece[len(piece.rstrip()) :]
                    out.append(lead + next(translated).data.strip() + trail)
                else:
                    out.append(piece)
            result[string] = StringValue("".join(out))
        return result


class LanguageRouterTranslator(BaseMachineTranslator):
    """The translator wagtail-localize is given: each target language's engine, from
    `OPTIONS["ROUTES"]` (language code -> {"CLASS", "OPTIONS"})."""

    def __init__(self, options):
        super().__init__(options)
        self.routes = {
            code: import_string(spec["CLASS"])(spec.get("OPTIONS", {}))
            for code, spec in options.get("ROUTES", {}).items()
        }
        # The admin's button says "Translate with …": every engine in use.
        names = dict.fromkeys(engine.display_name for engine in self.routes.values())
        self.display_name = " / ".join(names) or "—"

    def engine_for(self, target_locale):
        return self.routes.get(_language(target_locale))

    def can_translate(self, source_locale, target_locale):
        engine = self.engine_for(target_locale)
        return engine is not None and engine.can_translate(source_locale, target_locale)

    def translate(self, source_locale, target_locale, strings):
        engine = self.engine_for(target_locale)
        if engine is None:
            return {}
        return engine.translate(source_locale, target_locale, strings)
