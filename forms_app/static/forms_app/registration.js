// A second click while the first submission is on its way does nothing (the server also
// refuses to store the same submission twice), and the error summary takes focus.
document.addEventListener("DOMContentLoaded", () => {
    const summary = document.getElementById("error-summary");
    if (summary) summary.focus();
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
