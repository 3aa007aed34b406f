/* "Keep as in source" in wagtail-localize's translation editor (home/admin_editing.py):
   a proper name, an address or a URL that must not be translated is saved as its
   translation unchanged, tags and all, through the editor's own endpoint for a segment
   (the `editUrl` of the segment in the editor's props, PUT with the value). A kept segment
   counts as translated, so machine translation never touches it; the editor reloads to
   show it. */
(function () {
  "use strict";

  var script = document.currentScript;
  var LABEL = (script && script.dataset.keepLabel) || "Keep as in source";

  function text(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    return (doc.body.textContent || "").trim();
  }

  function csrfToken(editor) {
    var input = editor.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  function keep(editor, segment, button) {
    button.disabled = true;
    var body = new URLSearchParams();
    body.set("value", segment.source);
    fetch(segment.editUrl, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(editor) },
      body: body,
    }).then(function (response) {
      if (response.ok) {
        window.location.reload();
      } else {
        button.disabled = false;
      }
    });
  }

  function decorate(editor, segments) {
    editor.querySelectorAll("li").forEach(function (item) {
      if (item.dataset.keepSource) return;
      var source = item.querySelector(":scope > p");
      if (!source) return;
      var segment = segments[source.textContent.trim()];
      if (!segment) return;
      item.dataset.keepSource = "ready";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-small button-secondary keep-source";
      button.textContent = LABEL;
      button.addEventListener("click", function () {
        keep(editor, segment, button);
      });
      item.appendChild(button);
    });
  }

  function start() {
    var editor = document.querySelector(".js-translation-editor[data-props]");
    if (!editor) return;
    var props = JSON.parse(editor.dataset.props);
    var segments = {};
    (props.segments || []).forEach(function (segment) {
      if (segment.type === "string" && segment.editUrl) {
        var key = text(segment.source);
        if (!(key in segments)) segments[key] = segment;
      }
    });
    decorate(editor, segments);
    new MutationObserver(function () {
      decorate(editor, segments);
    }).observe(editor, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
