/* Right-to-left editing (home/admin_editing.py): the content's fields take its language
   and direction, whatever the admin's own. Multi-line text and rich text are set to the
   content's direction; single-line inputs to "auto" (their first strong letter decides),
   so that slugs, dates and addresses typed in Latin letters stay left to right. In
   wagtail-localize's translation editor the language is its target's, read from the
   editor's props; its segments are rendered by React, so new ones are watched for. */
(function () {
  "use strict";

  // The right-to-left site languages, from Django's language info (home/wagtail_hooks.py).
  var script = document.currentScript;
  var RTL = ((script && script.dataset.rtlLanguages) || "").split(" ");
  var SINGLE_LINE = 'input[type="text"], input:not([type])';
  var MULTI_LINE = "textarea, [contenteditable='true']";

  function isRtl(code) {
    return RTL.indexOf(code.split("-")[0]) !== -1;
  }

  function mark(root, lang, dir) {
    root.querySelectorAll(MULTI_LINE).forEach(function (field) {
      if (field.dataset.contentDirection) return;
      field.dataset.contentDirection = dir;
      field.setAttribute("lang", lang);
      field.setAttribute("dir", dir);
    });
    root.querySelectorAll(SINGLE_LINE).forEach(function (field) {
      if (field.dataset.contentDirection || field.closest("[data-w-slug-target], .w-field--date_time_field")) return;
      field.dataset.contentDirection = dir;
      field.setAttribute("lang", lang);
      field.setAttribute("dir", dir === "rtl" ? "auto" : "ltr");
    });
    // Draftail's editor: the direction of the text, not of its toolbar.
    root.querySelectorAll(".Draftail-Editor .DraftEditor-root").forEach(function (editor) {
      editor.setAttribute("lang", lang);
      editor.setAttribute("dir", dir);
    });
  }

  function watch(root, lang, dir) {
    mark(root, lang, dir);
    new MutationObserver(function () {
      mark(root, lang, dir);
    }).observe(root, { childList: true, subtree: true });
  }

  function start() {
    var marker = document.querySelector("[data-content-language]");
    if (marker) {
      var form = marker.closest("form") || document;
      var lang = marker.dataset.contentLanguage;
      var dir = marker.dataset.contentDir;
      form.dataset.contentLanguage = lang;
      watch(form, lang, dir);
      return;
    }
    var editor = document.querySelector(".js-translation-editor[data-props]");
    if (editor) {
      var props = JSON.parse(editor.dataset.props);
      var code = props.locale && props.locale.code;
      if (code) {
        editor.dataset.contentLanguage = code;
        watch(editor, code, isRtl(code) ? "rtl" : "ltr");
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
