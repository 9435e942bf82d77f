// The announcements banner (see "Announcements" in THEME.md).
// Whether an announcement is due is decided here, with the reader's clock, so a site
// built days ago still shows and hides its notices on the right days.
(function () {
  "use strict";

  var SEVERITIES = { info: true, warning: true, outage: true };
  var STORAGE_PREFIX = "helpsite-dismissed:";
  var root = typeof window !== "undefined" ? window : {};
  var timer = null;
  var frozen = false; // set once render(epochMs) pins an instant (tests)
  var dismissedHere = {}; // when storage is unavailable, dismissals last for the page

  function data() {
    var d = root.helpsiteAnnouncements;
    return d && typeof d === "object" ? d : { items: [], strings: {} };
  }

  // A day alone means that day in the reader's zone: from its midnight to the next
  // one. A time without an offset is the reader's local time too (Date.parse reads
  // "YYYY-MM-DDTHH:MM:SS" as local); with an offset it is an exact instant.
  function instant(text, asEnd) {
    text = String(text || "").replace(" ", "T");
    var day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (day) {
      return new Date(+day[1], +day[2] - 1, +day[3] + (asEnd ? 1 : 0)).getTime();
    }
    var t = Date.parse(text);
    return isNaN(t) ? null : t;
  }

  function isDue(item, epochMs) {
    var starts = instant(item.starts, false);
    if (starts === null || epochMs < starts) return false;
    if (!item.ends) return true;
    var ends = instant(item.ends, true);
    return ends !== null && epochMs < ends;
  }

  function storage() {
    try { return root.localStorage || null; } catch (e) { return null; }
  }

  function isDismissed(id) {
    if (dismissedHere[id]) return true;
    var s = storage();
    try { return !!(s && s.getItem(STORAGE_PREFIX + id) === "1"); } catch (e) { return false; }
  }

  function dismiss(id) {
    dismissedHere[id] = true;
    var s = storage();
    try { if (s) s.setItem(STORAGE_PREFIX + id, "1"); } catch (e) { /* private mode: page only */ }
  }

  function due(epochMs) {
    return (data().items || []).filter(function (item) {
      return item && isDue(item, epochMs) && !isDismissed(String(item.id));
    });
  }

  // The data's links start at the top of the site (`/help/x/`). A site built with
  // relative links (`relative_links`) says on <html> how to reach the top from this
  // page; the link then goes that way, to the folder's index.html, so that it also
  // opens from a folder on disk.
  function siteLink(url) {
    url = String(url);
    var html = typeof document !== "undefined" && document.documentElement;
    var root = html && html.getAttribute && html.getAttribute("data-helpsite-root");
    var base = html && html.getAttribute && html.getAttribute("data-helpsite-base");
    if (!root || !base || url.indexOf(base) !== 0) return url;
    var rest = url.slice(base.length);
    var cut = rest.search(/[?#]/);
    var path = cut < 0 ? rest : rest.slice(0, cut);
    if (path === "" || path.charAt(path.length - 1) === "/") path += "index.html";
    return root + path + (cut < 0 ? "" : rest.slice(cut));
  }

  // Data is untrusted text: only text nodes and fixed attribute values are written.
  function itemElement(item, strings, banner) {
    var severity = SEVERITIES[item.severity] ? item.severity : "info";
    var box = document.createElement("div");
    box.className = "announcement announcement-" + severity;
    box.setAttribute("data-announcement", String(item.id));

    var text = document.createElement("p");
    var label = document.createElement("strong");
    label.className = "announcement-severity";
    label.textContent = (strings[severity] || severity) + ": ";
    text.appendChild(label);
    var link = document.createElement("a");
    link.textContent = item.title || "";
    if (item.url) link.setAttribute("href", siteLink(item.url));
    text.appendChild(link);
    if (item.summary) {
      text.appendChild(document.createTextNode(" — " + item.summary));
    }
    box.appendChild(text);

    var button = document.createElement("button");
    button.type = "button";
    button.className = "announcement-dismiss";
    button.setAttribute("aria-label", (strings.dismiss || "Dismiss") + ": " + (item.title || ""));
    button.textContent = "×";
    button.addEventListener("click", function () {
      dismiss(String(item.id));
      var next = box.nextElementSibling || box.previousElementSibling;
      box.parentNode.removeChild(box);
      banner.hidden = banner.children.length === 0;
      // Keep the keyboard where the reader was: the next notice, else the page itself.
      var target = next && next.querySelector("button");
      if (!target) target = document.getElementById("main");
      if (target && target.focus) target.focus();
    });
    box.appendChild(button);
    return box;
  }

  function draw(epochMs) {
    if (typeof document === "undefined" || !document.querySelectorAll) return;
    var items = due(epochMs);
    var strings = data().strings || {};
    Array.prototype.forEach.call(document.querySelectorAll("[data-announcements]"), function (banner) {
      banner.textContent = "";
      items.forEach(function (item) { banner.appendChild(itemElement(item, strings, banner)); });
      banner.hidden = items.length === 0;
    });
  }

  function safeDraw(epochMs) {
    try { draw(epochMs); } catch (e) { /* a broken banner must not break the page */ }
  }

  function start() {
    if (frozen) return;
    safeDraw(Date.now());
    if (timer === null && typeof setInterval === "function") {
      timer = setInterval(function () { if (!frozen) safeDraw(Date.now()); }, 60000);
    }
  }

  root.helpsiteBanner = {
    // Ids of the announcements shown at epochMs (dismissed ones left out).
    dueAt: function (epochMs) { return due(epochMs).map(function (i) { return String(i.id); }); },
    // With an explicit instant, the real-clock timer stops so the page stays as tested.
    render: function (epochMs) {
      if (epochMs === undefined) return draw(Date.now());
      frozen = true;
      if (timer !== null) { clearInterval(timer); timer = null; }
      draw(epochMs);
    }
  };

  if (typeof document !== "undefined" && document.addEventListener) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})();
