// The check-in page at the door (forms_app/checkin_views.py). Without this script every
// form on the page still works (it posts and the page comes back with the result); with
// it, scans, check-ins by search and undo go through fetch() and JSON, so the page never
// reloads, and the camera can read tickets.
//
// QR codes are read with the browser's BarcodeDetector where it exists and knows QR codes
// (Chrome on Android and macOS, Safari 17+), else with jsQR 1.4.0, vendored under
// checkin/vendor/jsqr-1.4.0/ (pinned, from the npm registry; loaded only when needed,
// from our own origin: the Content-Security-Policy allows scripts from 'self' only).
// Everything the staff read comes from the server, translated, or from data-text-*
// attributes rendered in their language.
"use strict";

(() => {
    const SCAN_INTERVAL_MS = 150;
    // After a result that let someone in, scanning goes on by itself after this long; the
    // same code is not sent again until another code is seen or "Next" is tapped.
    const AUTO_NEXT_MS = 4000;
    const MAX_DECODE_WIDTH = 640;

    function csrfToken(root) {
        const input = root.querySelector("input[name=csrfmiddlewaretoken]");
        return input ? input.value : "";
    }

    async function postJSON(url, data) {
        const response = await fetch(url, {
            method: "POST",
            body: data,
            headers: { Accept: "application/json" },
            credentials: "same-origin",
        });
        // A refused CSRF token or a server error answers with an HTML page, not JSON.
        const body = await response.json().catch(() => ({}));
        if (!response.ok || !body) {
            throw new Error(body.error || `${response.status} ${response.statusText}`);
        }
        return body;
    }

    function loadScript(url) {
        return new Promise((resolve, reject) => {
            const script = document.createElement("script");
            script.src = url;
            script.onload = resolve;
            script.onerror = reject;
            document.head.appendChild(script);
        });
    }

    // A function that reads a QR code from the video: BarcodeDetector, else jsQR.
    async function makeDecoder(decoderUrl) {
        if ("BarcodeDetector" in window) {
            try {
                const formats = await window.BarcodeDetector.getSupportedFormats();
                if (formats.includes("qr_code")) {
                    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
                    return async (video) => {
                        const codes = await detector.detect(video);
                        return codes.length ? codes[0].rawValue : null;
                    };
                }
            } catch (error) {
                // Fall through to jsQR.
            }
        }
        if (!window.jsQR) {
            await loadScript(decoderUrl);
        }
        const canvas = document.createElement("canvas");
        const context = canvas.getContext("2d", { willReadFrequently: true });
        return async (video) => {
            const width = video.videoWidth;
            const height = video.videoHeight;
            if (!width || !height) return null;
            const scale = Math.min(1, MAX_DECODE_WIDTH / width);
            canvas.width = Math.round(width * scale);
            canvas.height = Math.round(height * scale);
            context.drawImage(video, 0, 0, canvas.width, canvas.height);
            const image = context.getImageData(0, 0, canvas.width, canvas.height);
            const code = window.jsQR(image.data, image.width, image.height, {
                inversionAttempts: "attemptBoth",
            });
            return code ? code.data : null;
        };
    }

    function setUp(root) {
        const text = root.dataset;
        const result = root.querySelector("#checkin-result");
        const part = (name) => result.querySelector(`[data-result=${name}]`);
        const nextButton = result.querySelector("[data-next]");
        const cameraButton = root.querySelector("[data-camera]");
        const cameraView = root.querySelector("[data-camera-view]");
        const cameraStatus = root.querySelector("[data-camera-status]");
        const video = root.querySelector("video");
        const people = root.querySelector("[data-people]");
        const searchForm = root.querySelector("[data-search-form]");

        let stream = null;
        let decode = null;
        let paused = false;
        let busy = false;
        let lastCode = null;
        let autoNext = null;

        function showResult(answer) {
            result.hidden = false;
            result.className = `checkin-result checkin-result--${answer.outcome}`;
            part("label").textContent = answer.label;
            part("name").textContent = answer.name || "";
            part("message").textContent = answer.message;
            part("registration").value = answer.registration || "";
            part("undo").hidden = !answer.can_undo;
            nextButton.hidden = !stream;
            if (navigator.vibrate) navigator.vibrate(answer.lets_in ? 80 : [80, 60, 80]);
            result.scrollIntoView({ block: "nearest" });
        }

        function showProblem(message) {
            result.hidden = false;
            result.className = "checkin-result checkin-result--error";
            part("label").textContent = "";
            part("name").textContent = "";
            part("message").textContent = message;
            part("undo").hidden = true;
            nextButton.hidden = !stream;
        }

        async function send(data) {
            data.set("csrfmiddlewaretoken", csrfToken(root));
            data.set("day", text.day);
            try {
                const answer = await postJSON(text.scanUrl, data);
                showResult(answer);
                return answer;
            } catch (error) {
                showProblem(error instanceof TypeError ? text.textNetwork : error.message);
                return null;
            }
        }

        // Scanning ----------------------------------------------------------------------
        function next() {
            clearTimeout(autoNext);
            lastCode = null;
            paused = false;
            nextButton.hidden = true;
            if (stream) cameraStatus.textContent = text.textCameraLooking;
        }

        async function tick() {
            if (!stream) return;
            if (!paused && !busy && decode && video.readyState >= 2) {
                busy = true;
                try {
                    const code = await decode(video);
                    if (code && code !== lastCode) {
                        lastCode = code;
                        paused = true;
                        const data = new FormData();
                        data.set("code", code);
                        const answer = await send(data);
                        if (answer && answer.outcome === "checked_in") {
                            autoNext = setTimeout(() => {
                                paused = false;
                            }, AUTO_NEXT_MS);
                        }
                    }
                } catch (error) {
                    // A frame the decoder could not read: try the next one.
                } finally {
                    busy = false;
                }
            }
            setTimeout(tick, SCAN_INTERVAL_MS);
        }

        async function startCamera() {
            try {
                stream = await navigator.mediaDevices.getUserMedia({
                    video: { facingMode: "environment" },
                    audio: false,
                });
                video.srcObject = stream;
                await video.play();
                decode = decode || (await makeDecoder(text.decoderUrl));
            } catch (error) {
                stopCamera();
                cameraStatus.textContent = text.textCameraUnavailable;
                return;
            }
            cameraView.hidden = false;
            cameraButton.textContent = text.textCameraOn;
            cameraStatus.textContent = text.textCameraLooking;
            next();
            tick();
        }

        function stopCamera() {
            if (stream) {
                for (const track of stream.getTracks()) track.stop();
            }
            stream = null;
            video.srcObject = null;
            cameraView.hidden = true;
            nextButton.hidden = true;
            cameraButton.textContent = text.textCameraOff;
            cameraStatus.textContent = "";
        }

        if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
            cameraButton.hidden = false;
            cameraButton.addEventListener("click", () => (stream ? stopCamera() : startCamera()));
        } else {
            cameraStatus.textContent = text.textCameraUnavailable;
        }
        nextButton.addEventListener("click", next);

        // Typed codes and search results -------------------------------------------------
        root.addEventListener("submit", async (event) => {
            const form = event.target;
            if (form.matches("[data-scan-form]")) {
                event.preventDefault();
                const answer = await send(new FormData(form));
                if (answer && form.querySelector("[name=code]")) form.reset();
                if (answer && !people.hidden && searchForm.q.value) search();
            } else if (form.matches("[data-result=undo]")) {
                event.preventDefault();
                const data = new FormData(form);
                data.set("day", text.day);
                try {
                    const answer = await postJSON(text.undoUrl, data);
                    showProblem(answer.message);
                    result.className = "checkin-result checkin-result--undone";
                    lastCode = null;
                } catch (error) {
                    showProblem(error instanceof TypeError ? text.textNetwork : error.message);
                }
            } else if (form === searchForm) {
                event.preventDefault();
                search();
            }
        });

        async function search() {
            const query = new URLSearchParams({ q: searchForm.q.value, day: text.day });
            let body;
            try {
                const response = await fetch(`${text.searchUrl}?${query}`, {
                    headers: { Accept: "application/json" },
                    credentials: "same-origin",
                });
                body = await response.json().catch(() => ({}));
                if (!response.ok) {
                    throw new Error(body.error || `${response.status} ${response.statusText}`);
                }
            } catch (error) {
                showProblem(error instanceof TypeError ? text.textNetwork : error.message);
                return;
            }
            renderPeople(body.people);
        }

        function renderPeople(list) {
            people.replaceChildren();
            people.hidden = false;
            if (!list.length) {
                const item = document.createElement("li");
                item.className = "checkin-person checkin-person--none";
                item.textContent = text.textNoMatch;
                people.append(item);
                return;
            }
            for (const person of list) {
                const item = document.createElement("li");
                item.className = `checkin-person checkin-person--${person.status}`;
                const name = document.createElement("span");
                name.className = "checkin-person__name";
                name.textContent = person.name;
                item.append(name);
                if (person.checked_in_at || person.status !== "confirmed") {
                    const state = document.createElement("span");
                    state.className = "checkin-person__state";
                    state.textContent = person.checked_in_at
                        ? `${text.textCheckedInAt} \u2066${person.checked_in_at}\u2069`
                        : person.status_label;
                    item.append(state);
                }
                const form = document.createElement("form");
                form.method = "post";
                form.action = text.scanUrl;
                form.dataset.scanForm = "";
                const id = document.createElement("input");
                id.type = "hidden";
                id.name = "registration";
                id.value = person.id;
                const button = document.createElement("button");
                button.type = "submit";
                button.className = "checkin-button checkin-button--small";
                button.textContent = text.textCheckIn;
                form.append(id, button);
                item.append(form);
                if (text.correctUrl) {
                    // Registration managers only: the link is rendered for them alone.
                    const link = document.createElement("a");
                    link.className = "checkin-person__correct";
                    link.href = text.correctUrl.replace("/0/", `/${person.id}/`);
                    link.textContent = text.textCorrect;
                    item.append(link);
                }
                people.append(item);
            }
        }
    }

    document.addEventListener("DOMContentLoaded", () => {
        for (const select of document.querySelectorAll("select[data-autosubmit]")) {
            select.addEventListener("change", () => select.form.submit());
        }
        for (const button of document.querySelectorAll("[data-no-js]")) button.hidden = true;
        for (const button of document.querySelectorAll("[data-print]")) {
            button.hidden = false;
            button.addEventListener("click", () => window.print());
        }
        const root = document.getElementById("checkin");
        if (root) setUp(root);
    });
})();
