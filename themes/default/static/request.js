// The site's own request form (see "Request form" in THEME.md). Without this script it
// is a plain HTML form. With it: the fields are checked with messages in the page's
// language; articles that may answer the question are suggested while the reader
// types; what was typed is kept in sessionStorage until it is sent; and sending posts
// JSON to the endpoint (keeping everything, with a retry, when that fails) or opens
// the reader's mail app with the request written out.
(function (global) {
  "use strict";

  const SUGGESTIONS = 3;
  const MESSAGE_WORDS = 12;
  const TYPING_PAUSE_MS = 250;

  function storage() {
    try { return global.sessionStorage || null; } catch { return null; }
  }

  // What the reader fills in: every named control but the language and the honeypot.
  function controls(form) {
    return Array.from(form.querySelectorAll("input[name], select[name], textarea[name]"))
      .filter((c) => c.type !== "hidden" && c.name !== "website");
  }

  // A field's label as written, without "(optional)".
  function labelOf(control) {
    const label = control.form.querySelector("label[for='" + control.id + "']");
    return label && label.firstChild ? label.firstChild.textContent.trim() : control.name;
  }

  function text(box, name, field) {
    const strings = box.querySelector("[data-request-strings]");
    const value = (strings && strings.getAttribute("data-" + name)) || "";
    return value.replace("{field}", field || "");
  }

  // What is wrong with a field's answer, in the page's language; "" when nothing is.
  function problemOf(box, control) {
    const value = control.value.trim();
    const label = labelOf(control);
    if (!value) {
      if (!control.required) return "";
      return text(box, control.tagName === "SELECT" ? "choose" : "required", label);
    }
    if (control.validity && control.validity.typeMismatch) return text(box, "email", label);
    if (control.validity && control.validity.patternMismatch) {
      const hint = global.document.getElementById(control.id + "-hint");
      return text(box, "pattern", label) + (hint ? " " + hint.textContent.trim() : "");
    }
    return "";
  }

  function showProblem(control, problem) {
    const error = global.document.getElementById(control.id + "-error");
    if (error) {
      error.textContent = problem;
      error.hidden = !problem;
    }
    if (problem) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  }

  // Checks every field, shows each problem beside its field and a count above the
  // button, and moves the focus to the first wrong field. True when all are right.
  function validate(box, form) {
    const wrong = controls(form).filter((control) => {
      const problem = problemOf(box, control);
      showProblem(control, problem);
      return !!problem;
    });
    const summary = form.querySelector("[data-request-summary]");
    if (summary) {
      summary.textContent = wrong.length === 1 ? text(box, "summary-one")
        : text(box, "summary").replace("{count}", String(wrong.length));
      summary.hidden = !wrong.length;
    }
    if (wrong.length) wrong[0].focus();
    return !wrong.length;
  }

  // ---- keeping what was typed -----------------------------------------------------

  function storageKey(form) {
    return "helpsite-request:" + (form.getAttribute("data-page") || global.location.pathname);
  }

  function save(form) {
    const store = storage();
    if (!store) return;
    const values = {};
    controls(form).forEach((c) => { values[c.name] = c.value; });
    try { store.setItem(storageKey(form), JSON.stringify(values)); } catch { /* full or denied */ }
  }

  function restore(form) {
    const store = storage();
    let values = null;
    try { values = JSON.parse((store && store.getItem(storageKey(form))) || "null"); } catch { values = null; }
    if (!values || typeof values !== "object") return;
    controls(form).forEach((c) => {
      if (typeof values[c.name] === "string") c.value = values[c.name];
    });
  }

  function forget(form) {
    const store = storage();
    try { if (store) store.removeItem(storageKey(form)); } catch { /* denied */ }
  }

  // ---- suggestions ------------------------------------------------------------------

  // The subject and the first words of the message: what the question is about.
  function questionOf(form) {
    const subject = form.elements.subject ? form.elements.subject.value : "";
    const message = form.elements.message ? form.elements.message.value : "";
    return (subject + " " + message.split(/\s+/).slice(0, MESSAGE_WORDS).join(" ")).trim();
  }

  function suggestionItem(form, row) {
    const li = global.document.createElement("li");
    const a = global.document.createElement("a");
    a.href = global.helpsiteSite.fromRoot(form.getAttribute("data-search-root") || "", row.path);
    a.textContent = row.title;
    a.addEventListener("click", () => {
      save(form);
      announce("helpsite:suggestion", { url: a.href });
    });
    li.appendChild(a);
    if (row.category) {
      const category = global.document.createElement("span");
      category.className = "request-suggestion-category";
      category.textContent = row.category;
      li.appendChild(category);
    }
    return li;
  }

  function suggester(box, form) {
    const aside = box.querySelector("[data-request-suggestions]");
    const list = box.querySelector("[data-request-suggestion-list]");
    const status = box.querySelector("[data-request-suggestions-status]");
    let sequence = 0;
    let timer = null;
    let shown = "";
    async function update() {
      const mine = ++sequence;
      const engine = global.helpsiteSearch;
      const question = questionOf(form);
      let rows = [];
      if (question && engine && engine.search && engine.rows) {
        try { rows = await engine.rows((await engine.search(question)).slice(0, SUGGESTIONS)); } catch { rows = []; }
      }
      if (mine !== sequence || !aside || !list) return;
      list.replaceChildren(...rows.map((row) => suggestionItem(form, row)));
      aside.hidden = !rows.length;
      const paths = rows.map((r) => r.path).join(" ");
      if (status && paths !== shown) status.textContent = rows.length ? text(box, "found").replace("{count}", String(rows.length)) : "";
      shown = paths;
    }
    return () => {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(update, TYPING_PAUSE_MS);
    };
  }

  // ---- sending ----------------------------------------------------------------------

  function announce(name, detail) {
    if (typeof CustomEvent === "function") global.document.dispatchEvent(new CustomEvent(name, { detail }));
  }

  // The request as sent: every field by name, and the page's language.
  function requestOf(form) {
    const data = {};
    controls(form).forEach((c) => { data[c.name] = c.value.trim(); });
    data.lang = form.elements.lang ? form.elements.lang.value : "";
    return data;
  }

  // A mailto: address with the subject, and a body of the other fields, then the message.
  function mailtoOf(form, data) {
    const lines = controls(form)
      .filter((c) => c.name !== "subject" && c.name !== "message" && data[c.name])
      .map((c) => labelOf(c) + ": " + (c.tagName === "SELECT" ? c.options[c.selectedIndex].text : data[c.name]));
    const body = lines.concat(["", data.message || ""]).join("\r\n");
    return (form.getAttribute("data-mailto") || "") + "?subject=" + encodeURIComponent(data.subject || "") +
      "&body=" + encodeURIComponent(body);
  }

  function reveal(box, selector) {
    ["[data-request-done]", "[data-request-failed]", "[data-request-mail]"].forEach((s) => {
      const part = box.querySelector(s);
      if (part) part.hidden = s !== selector;
    });
    const part = box.querySelector(selector);
    if (part) part.focus();
    return part;
  }

  function setBusy(box, form, busy) {
    const button = form.querySelector("[data-request-send]");
    if (!button) return;
    if (!button.hasAttribute("data-label")) button.setAttribute("data-label", button.textContent);
    button.disabled = busy;
    button.textContent = busy ? text(box, "sending") : button.getAttribute("data-label");
  }

  async function post(box, form, data) {
    setBusy(box, form, true);
    let ok = false;
    try {
      const response = await global.fetch(form.getAttribute("data-endpoint"), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(data),
        credentials: "omit",
      });
      ok = response.ok;
    } catch { ok = false; }
    setBusy(box, form, false);
    if (ok) {
      forget(form);
      form.hidden = true;
      reveal(box, "[data-request-done]");
      return;
    }
    const failed = reveal(box, "[data-request-failed]");
    const mail = failed && failed.querySelector("[data-request-mail-link]");
    if (mail) mail.href = mailtoOf(form, data);
  }

  function send(box, form) {
    const data = requestOf(form);
    save(form);
    if (form.elements.website && form.elements.website.value) {
      // Only a bot fills in the honeypot: it is thanked, and nothing is sent.
      form.hidden = true;
      reveal(box, "[data-request-done]");
      return;
    }
    announce("helpsite:request", { topic: data.topic || "" });
    if (form.getAttribute("data-endpoint") && typeof global.fetch === "function") {
      post(box, form, data);
      return;
    }
    const url = mailtoOf(form, data);
    const shown = reveal(box, "[data-request-mail]");
    const link = shown && shown.querySelector("[data-request-mail-link]");
    if (link) link.href = url;
    global.location.href = url;
  }

  function setUp(box) {
    const form = box.querySelector("[data-request-form]");
    if (!form) return;
    form.noValidate = true;
    restore(form);
    const suggest = suggester(box, form);
    form.addEventListener("input", (event) => {
      save(form);
      const control = event.target;
      if (control.getAttribute("aria-invalid") === "true") showProblem(control, problemOf(box, control));
      if (control.name === "subject" || control.name === "message") suggest();
    });
    form.addEventListener("change", (event) => {
      save(form);
      if (event.target.getAttribute("aria-invalid") === "true") showProblem(event.target, problemOf(box, event.target));
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (validate(box, form)) send(box, form);
    });
    const retry = box.querySelector("[data-request-retry]");
    if (retry) retry.addEventListener("click", () => send(box, form));
    if (questionOf(form)) suggest();
  }

  global.helpsiteSite.onReady(() => {
    global.document.querySelectorAll("[data-request-root]").forEach(setUp);
  });
})(typeof window !== "undefined" ? window : globalThis);
