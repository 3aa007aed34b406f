/* Click-to-load videos (home/embeds.py): each placeholder holds the privacy-enhanced embed
   address in data-embed-src; the iframe is put in only when the visitor presses the
   button, so nothing reaches the provider before. No inline code: the page's
   Content-Security-Policy allows only this file, and frames only from the hosts of the
   videos the page shows. Each placeholder includes this file; it sets itself up once. */
(function () {
    "use strict";
    var root = document.documentElement;
    if (root.hasAttribute("data-video-embeds")) {
        return;
    }
    root.setAttribute("data-video-embeds", "");

    function load(figure) {
        var src = figure.getAttribute("data-embed-src") || "";
        var url;
        try {
            url = new URL(src);
        } catch (error) {
            return;
        }
        if (url.protocol !== "https:") {
            return;
        }
        // The visitor asked for the video: start playing it.
        url.searchParams.set("autoplay", "1");
        var frame = document.createElement("iframe");
        frame.className = "video-embed__frame";
        frame.src = url.href;
        frame.title = figure.getAttribute("data-embed-title") || "";
        frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
        frame.setAttribute("allowfullscreen", "");
        frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
        var placeholder = figure.querySelector(".video-embed__placeholder");
        if (placeholder) {
            placeholder.replaceWith(frame);
        } else {
            figure.appendChild(frame);
        }
        figure.classList.add("video-embed--loaded");
        frame.focus();
    }

    function setUp() {
        var buttons = document.querySelectorAll("[data-video-embed] .video-embed__load");
        Array.prototype.forEach.call(buttons, function (button) {
            button.hidden = false;
        });
    }

    document.addEventListener("click", function (event) {
        var button = event.target.closest ? event.target.closest(".video-embed__load") : null;
        if (!button) {
            return;
        }
        var figure = button.closest("[data-video-embed]");
        if (figure) {
            load(figure);
        }
    });

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", setUp);
    } else {
        setUp();
    }
})();
