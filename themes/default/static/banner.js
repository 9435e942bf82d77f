// The announcements banner (see "Announcements" in THEME.md).
// Whether an announcement is due is decided here, with the reader's clock, so a site
// built days ago still shows and hides its notices on the right days.
(function (global) {
  "use strict";

  // Links from this page and the live clock (site.js, loaded first). The data's links
  // start at the top of the site; site.link makes them work from here, even on disk.
  const site = global.helpsiteSite;
  const SEVERITIES = { info: true, warning: true, outage: true };
  const STORAGE_PREFIX = "helpsite-dismissed:";
  const dismissedHere = {}; // when storage is unavailable, dismissals last for the page

  function data() {
    const d = global.helpsiteAnnouncements;
    return d && typeof d === "object" ? d : { items: [], strings: {} };
  }

  // A day alone means that day in the reader's zone: from its midnight to the next
  // one. A time without an offset is the reader's local time too (Date.parse reads
  // "YYYY-MM-DDTHH:MM:SS" as local); with an offset it is an exact instant.
  function instant(text, asEnd) {
    text = String(text || "").replace(" ", "T");
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (day) {
      return new Date(+day[1], +day[2] - 1, +day[3] + (asEnd ? 1 : 0)).getTime();
    }
    const t = Date.parse(text);
    return isNaN(t) ? null : t;
  }

  function isDue(item, epochMs) {
    const starts = instant(item.starts, false);
    if (starts === null || epochMs < starts) return false;
    if (!item.ends) return true;
    const ends = instant(item.ends, true);
    return ends !== null && epochMs < ends;
  }

  function storage() {
    try { return global.localStorage || null; } catch { return null; }
  }

  function isDismissed(id) {
    if (dismissedHere[id]) return true;
    const s = storage();
    try { return !!(s && s.getItem(STORAGE_PREFIX + id) === "1"); } catch { return false; }
  }

  function dismiss(id) {
    dismissedHere[id] = true;
    const s = storage();
    try { if (s) s.setItem(STORAGE_PREFIX + id, "1"); } catch { /* private mode: page only */ }
  }

  function due(epochMs) {
    return (data().items || []).filter((item) => {
      return item && isDue(item, epochMs) && !isDismissed(String(item.id));
    });
  }

  // Data is untrusted text: only text nodes and fixed attribute values are written.
  function itemElement(item, strings, banner) {
    const severity = SEVERITIES[item.severity] ? item.severity : "info";
    const box = document.createElement("div");
    box.className = "announcement announcement-" + severity;
    box.setAttribute("data-announcement", String(item.id));

    const text = document.createElement("p");
    const label = document.createElement("strong");
    label.className = "announcement-severity";
    label.textContent = (strings[severity] || severity) + ": ";
    text.appendChild(label);
    const link = document.createElement("a");
    link.textContent = item.title || "";
    if (item.url) link.setAttribute("href", site.link(item.url));
    text.appendChild(link);
    if (item.summary) {
      text.appendChild(document.createTextNode(" — " + item.summary));
    }
    box.appendChild(text);

    const button = document.createElement("button");
    button.type = "button";
    button.className = "announcement-dismiss";
    button.setAttribute("aria-label", (strings.dismiss || "Dismiss") + ": " + (item.title || ""));
    button.textContent = "×";
    button.addEventListener("click", () => {
      dismiss(String(item.id));
      const next = box.nextElementSibling || box.previousElementSibling;
      box.parentNode.removeChild(box);
      banner.hidden = banner.children.length === 0;
      // Keep the keyboard where the reader was: the next notice, else the page itself.
      let target = next && next.querySelector("button");
      if (!target) target = document.getElementById("main");
      if (target && target.focus) target.focus();
    });
    box.appendChild(button);
    return box;
  }

  function draw(epochMs) {
    if (typeof document === "undefined" || !document.querySelectorAll) return;
    const items = due(epochMs);
    const strings = data().strings || {};
    Array.prototype.forEach.call(document.querySelectorAll("[data-announcements]"), (banner) => {
      banner.textContent = "";
      items.forEach((item) => { banner.appendChild(itemElement(item, strings, banner)); });
      banner.hidden = items.length === 0;
    });
  }

  const clock = site.liveClock(draw);

  global.helpsiteBanner = {
    // Ids of the announcements shown at epochMs (dismissed ones left out).
    dueAt(epochMs) { return due(epochMs).map((i) => String(i.id)); },
    // Draws as at epochMs and stops the clock (tests); without it, as now.
    render: clock.render,
  };

  site.onReady(clock.start);
})(typeof window !== "undefined" ? window : globalThis);
