// Anonymous insights (see "Insights" in THEME.md): loaded only when `[insights] endpoint`
// is set. Each event is one small JSON object sent with navigator.sendBeacon: what was
// searched and how many articles were found, which result or suggested article was
// opened, the topic of a request, an answer to "Was this article helpful?", and the
// page's language. No cookie, no identifier, nothing about the reader or the device;
// nothing at all when the browser sends Global Privacy Control or Do Not Track.
(function (global) {
  "use strict";

  // A query counts once the reader has stopped typing it for this long.
  const SETTLE_MS = 1500;
  // The same query sent again this soon (the search box, then the search page it
  // opens) is the same search.
  const SAME_SEARCH_MS = 10000;
  const LAST_KEY = "helpsite-insights-last-search";

  const nav = global.navigator || {};
  const doc = global.document;

  function optedOut() {
    const dnt = nav.doNotTrack || global.doNotTrack || nav.msDoNotTrack;
    return nav.globalPrivacyControl === true || dnt === "1" || dnt === "yes";
  }

  const meta = doc && doc.querySelector("meta[name='helpsite-insights']");
  const endpoint = meta ? meta.getAttribute("content") : "";
  if (!endpoint || optedOut() || typeof nav.sendBeacon !== "function") return;
  const lang = doc.documentElement.getAttribute("lang") || "";

  function send(event) {
    try { nav.sendBeacon(endpoint, JSON.stringify(event)); } catch { /* never break the page */ }
  }

  // A link's page as the site names it: its path, without a trailing index.html.
  function pageOf(url) {
    try {
      return new URL(url, global.location.href).pathname.replace(/index\.html$/, "");
    } catch {
      return String(url);
    }
  }

  // ---- searches: sent once the query settles, and before a result is opened ----------

  let pending = null;
  let timer = null;

  function sentJustNow(query) {
    try {
      const last = JSON.parse(global.sessionStorage.getItem(LAST_KEY) || "null");
      return !!last && last.query === query && Date.now() - last.at < SAME_SEARCH_MS;
    } catch {
      return false;
    }
  }

  function remember(query) {
    try { global.sessionStorage.setItem(LAST_KEY, JSON.stringify({ query, at: Date.now() })); } catch { /* denied */ }
  }

  function flushSearch() {
    if (timer !== null) { clearTimeout(timer); timer = null; }
    if (!pending) return;
    const { query, results } = pending;
    pending = null;
    if (sentJustNow(query)) return;
    remember(query);
    send({ event: "search", lang, query, results });
  }

  doc.addEventListener("helpsite:search", (e) => {
    const detail = e.detail || {};
    const query = String(detail.query || "").trim();
    if (!query) return;
    pending = { query, results: Number(detail.results) || 0 };
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(flushSearch, SETTLE_MS);
  });

  doc.addEventListener("helpsite:open", (e) => {
    const detail = e.detail || {};
    flushSearch();
    send({ event: "open", lang, query: String(detail.query || "").trim(), page: pageOf(detail.url) });
  });

  global.addEventListener("pagehide", flushSearch);
  doc.addEventListener("visibilitychange", () => { if (doc.visibilityState === "hidden") flushSearch(); });

  // ---- the request form ----------------------------------------------------------

  doc.addEventListener("helpsite:suggestion", (e) => {
    send({ event: "suggestion", lang, page: pageOf((e.detail || {}).url) });
  });

  doc.addEventListener("helpsite:request", (e) => {
    send({ event: "request", lang, topic: String((e.detail || {}).topic || "") });
  });

  // ---- "Was this article helpful?" --------------------------------------------------

  doc.addEventListener("helpsite:helpful", (e) => {
    const detail = e.detail || {};
    send({ event: "helpful", lang, page: pageOf(detail.url), helpful: detail.helpful === true });
  });

  function helpful(url, answer) {
    doc.dispatchEvent(new CustomEvent("helpsite:helpful", { detail: { url, helpful: answer === "yes" } }));
  }

  // The feedback form's buttons, or its prepared e-mails when feedback goes by mail.
  doc.addEventListener("submit", (e) => {
    const form = e.target;
    if (!form.matches || !form.matches("[data-feedback-form]")) return;
    const answer = e.submitter && e.submitter.value;
    const path = form.elements.path ? form.elements.path.value : global.location.pathname;
    if (answer) helpful(path, answer);
  }, true);

  doc.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest("[data-feedback] a[data-answer]");
    if (!link) return;
    const box = link.closest("[data-feedback]");
    helpful(box.getAttribute("data-path") || global.location.pathname, link.getAttribute("data-answer"));
  });
})(typeof window !== "undefined" ? window : globalThis);
