// "Was this article helpful?" (see "Feedback" in THEME.md).
// Without this script the form is a plain POST to the backend; with it, and
// `send = "fetch"`, the answer goes in the background and the reader stays on the page.
(function (global) {
  "use strict";

  function show(box, text) {
    const result = box.querySelector("[data-feedback-result]");
    if (!result) return;
    result.textContent = text;
    result.hidden = false;
  }

  function setBusy(form, busy) {
    Array.prototype.forEach.call(form.querySelectorAll("button, textarea"), (el) => {
      el.disabled = busy;
    });
  }

  function onSubmit(event) {
    const form = event.target;
    if (!form.matches || !form.matches("[data-feedback-form]")) return;
    if (form.getAttribute("data-send") !== "fetch" || typeof global.fetch !== "function") return;
    event.preventDefault();
    const box = form.closest("[data-feedback]") || form;
    const submitter = event.submitter;
    const body = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, (el) => {
      if (el.name && el.type !== "submit") body.append(el.name, el.value);
    });
    body.append("answer", submitter && submitter.value ? submitter.value : "");
    setBusy(form, true);
    // A form-encoded POST is a "simple" request: any form backend accepts it, and
    // `no-cors` lets it go to another origin; its answer cannot be read, only whether
    // it was delivered.
    global.fetch(form.action, { method: "POST", body, mode: "no-cors", credentials: "omit" })
      .then(() => {
        form.hidden = true;
        show(box, box.getAttribute("data-thanks") || "");
      })
      .catch(() => {
        setBusy(form, false);
        show(box, box.getAttribute("data-error") || "");
      });
  }

  if (typeof document !== "undefined" && document.addEventListener) {
    document.addEventListener("submit", onSubmit);
  }
})(typeof window !== "undefined" ? window : globalThis);
