// A second click while the first submission is on its way does nothing (the server also
// refuses to store the same submission twice), and the error summary takes focus.
document.addEventListener("DOMContentLoaded", () => {
    const summary = document.getElementById("error-summary");
    if (summary) {
        summary.focus();
        // Following a link in the summary puts the keyboard in the field, not just the view.
        for (const link of summary.querySelectorAll("a[href^='#']")) {
            link.addEventListener("click", (event) => {
                const field = document.getElementById(link.hash.slice(1));
                if (!field) return;
                event.preventDefault();
                field.scrollIntoView({ block: "center" });
                field.focus();
            });
        }
    }
    for (const form of document.querySelectorAll("[data-registration-form]")) {
        form.addEventListener("submit", (event) => {
            if (form.dataset.submitting === "true") {
                event.preventDefault();
                return;
            }
            form.dataset.submitting = "true";
            for (const button of form.querySelectorAll("button[type=submit]")) {
                button.setAttribute("aria-busy", "true");
            }
        });
    }
});
