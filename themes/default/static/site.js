// What the theme's other scripts share (loaded before them): links to the site's own
// pages, and drawing by the reader's clock.
// The site's data (announcements, channels, the search index) names pages by their path
// from the top of the site; a page turns such a path into a link that works from where
// the reader is: on any host, and from a folder opened on disk (file://).
(function (global) {
  "use strict";

  function isFile() {
    return !!(global.location && global.location.protocol === "file:");
  }

  // On disk a folder does not open its index.html by itself, so a link to a folder
  // names it.
  function withIndex(path) {
    return path === "" || path.endsWith("/") ? path + "index.html" : path;
  }

  // A path relative to the site root (`account/reset/`) as a link from this page, given
  // the way up to the root (`../../`, or "" on the home page).
  function fromRoot(root, path) {
    const url = root + path;
    return (isFile() ? withIndex(url) : url) || "./";
  }

  // A site-absolute URL (`/help/account/reset/`) as a link from this page. A site built
  // with `relative_links` says on <html> how to reach the top from here
  // (`data-helpsite-root`) and what the absolute URLs start with (`data-helpsite-base`);
  // the link then goes that way, to the folder's index.html. Other URLs stay as they are.
  function link(url) {
    url = String(url);
    const html = typeof document !== "undefined" && document.documentElement;
    const root = html && html.getAttribute && html.getAttribute("data-helpsite-root");
    const base = html && html.getAttribute && html.getAttribute("data-helpsite-base");
    if (!root || !base || !url.startsWith(base)) return url;
    const rest = url.slice(base.length);
    const cut = rest.search(/[?#]/);
    const path = cut < 0 ? rest : rest.slice(0, cut);
    return root + withIndex(path) + (cut < 0 ? "" : rest.slice(cut));
  }

  // Runs `fn` once the page is parsed.
  function onReady(fn) {
    if (typeof document === "undefined" || !document.addEventListener) return;
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  // What the page shows by the reader's clock (open hours, notices due), drawn now and
  // every minute. `render(epochMs)` draws the page as at that instant and stops the
  // clock, so a test sees it as at that instant; `render()` draws it as now.
  function liveClock(draw) {
    let timer = null;
    let pinned = false;
    const safeDraw = (epochMs) => {
      try { draw(epochMs); } catch { /* a broken widget must not break the page */ }
    };
    return {
      start() {
        if (pinned) return;
        safeDraw(Date.now());
        if (timer === null && typeof setInterval === "function") {
          timer = setInterval(() => { if (!pinned) safeDraw(Date.now()); }, 60000);
        }
      },
      render(epochMs) {
        if (epochMs === undefined) return draw(Date.now());
        pinned = true;
        if (timer !== null) { clearInterval(timer); timer = null; }
        return draw(epochMs);
      },
    };
  }

  global.helpsiteSite = { link, fromRoot, onReady, liveClock };
})(typeof window !== "undefined" ? window : globalThis);
