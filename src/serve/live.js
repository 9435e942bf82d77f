// Live reload for `helpsite serve`: reloads the page after each rebuild (keeping the
// scroll position) and shows build errors over the page. Errors are put in with
// textContent, so whatever they contain is shown as text.
(function () {
  "use strict";
  var script = document.currentScript;
  var loaded = script ? Number(script.getAttribute("data-generation")) : -1;
  var scrollKey = "helpsite-scroll:" + location.pathname;
  var OVERLAY_ID = "helpsite-error-overlay";

  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    var y = Number(saved);
    var restore = function () { window.scrollTo(0, y); };
    restore();
    window.addEventListener("load", restore);
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  function showError(message) {
    var overlay = document.getElementById(OVERLAY_ID);
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = OVERLAY_ID;
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,24,.94);color:#fdd;font:14px/1.5 ui-monospace,monospace;";
      var title = document.createElement("h2");
      title.textContent = "The site could not be rebuilt";
      title.style.cssText = "color:#fff;font:bold 18px sans-serif;margin:0 0 1rem";
      var body = document.createElement("pre");
      body.className = "helpsite-error-text";
      body.style.cssText = "white-space:pre-wrap;margin:0";
      var note = document.createElement("p");
      note.textContent = "The page shows the last good build. Save a fix and this goes away.";
      note.style.cssText = "color:#ccc;font:13px sans-serif;margin-top:1rem";
      overlay.append(title, body, note);
      document.body.appendChild(overlay);
    }
    overlay.querySelector(".helpsite-error-text").textContent = message;
  }

  function clearError() {
    var overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  }

  // The page is named so that the server renders it first after a save.
  var source = new EventSource("/__helpsite/events?page=" + encodeURIComponent(location.pathname));
  source.addEventListener("hello", function (e) {
    var state = JSON.parse(e.data);
    if (state.generation !== loaded) return reload();
    if (state.error) showError(state.error); else clearError();
  });
  source.addEventListener("reload", reload);
  source.addEventListener("error", function (e) {
    // EventSource also fires a plain "error" when the connection drops; that one has no data.
    if (e.data) showError(JSON.parse(e.data));
  });
})();
