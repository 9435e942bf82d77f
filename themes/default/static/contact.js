// Live status of contact channels (see "Contact channels" in THEME.md).
// The schedule rules here must match the Rust side exactly: tests compare both.
(function (global) {
  "use strict";

  // Links from this page and the live clock (site.js, loaded first). The data's links
  // start at the top of the site; site.link makes them work from here, even on disk.
  const site = global.helpsiteSite;
  const MINUTE = 60000;
  const STEP = 15 * MINUTE;
  const HORIZON = 14 * 24 * 60 * MINUTE;
  const WEEKDAYS = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
  const RANK = { open: 0, busy: 1, closed: 2 };

  const formatters = {}; // one per zone; null when the browser doesn't know the zone
  const originalIndex = typeof WeakMap === "function" ? new WeakMap() : null;

  function data() {
    const d = global.helpsiteChannels;
    return d && typeof d === "object" ? d : { channels: {}, strings: {} };
  }
  function channelsOf() { return data().channels || {}; }
  function channel(name) {
    const all = channelsOf();
    return Object.prototype.hasOwnProperty.call(all, name) ? all[name] : null;
  }
  function stringsOf() { return data().strings || {}; }

  // "" stands for the reader's own zone (Intl's default).
  function formatter(zone) {
    if (typeof zone !== "string") return null; // a channel without a zone: unknown
    if (!Object.prototype.hasOwnProperty.call(formatters, zone)) {
      const opts = { hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
                   weekday: "short", hour: "2-digit", minute: "2-digit" };
      if (zone) opts.timeZone = zone;
      try { formatters[zone] = new Intl.DateTimeFormat("en-US", opts); }
      catch { formatters[zone] = null; } // unknown zone: RangeError
    }
    return formatters[zone];
  }

  // Local date "YYYY-MM-DD", weekday (0 = Monday) and minute of day; null if unknown zone.
  function localParts(zone, epochMs) {
    const f = formatter(zone);
    if (!f) return null;
    const p = {};
    f.formatToParts(new Date(epochMs)).forEach((x) => { p[x.type] = x.value; });
    const hour = parseInt(p.hour, 10) % 24; // some engines print midnight as "24"
    return {
      date: p.year + "-" + p.month + "-" + p.day,
      weekday: WEEKDAYS[p.weekday],
      minute: hour * 60 + parseInt(p.minute, 10),
      hhmm: pad(hour) + ":" + p.minute
    };
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // A range [day, s, e] matches on its own day from s to min(e, 1440), and past
  // midnight on the next weekday while minute < e - 1440.
  function inRanges(ranges, t) {
    const prev = (t.weekday + 6) % 7;
    return (ranges || []).some((r) => {
      if (r[0] === t.weekday && r[1] <= t.minute && t.minute < Math.min(r[2], 1440)) return true;
      return r[0] === prev && r[2] > 1440 && t.minute < r[2] - 1440;
    });
  }

  function inClosure(ch, date) {
    return (ch.closures || []).some((c) => { return c.from <= date && date <= c.to; });
  }

  function status(ch, epochMs) {
    const t = ch && localParts(ch.timezone, epochMs);
    if (!t || inClosure(ch, t.date)) return "closed";
    if (!ch.always && !inRanges(ch.hours, t)) return "closed";
    return inRanges(ch.busy, t) ? "busy" : "open";
  }

  // Reading of the rules (the Rust side does the same):
  // - t0 = the instant rounded up to the whole minute;
  // - candidates: the first multiple of 15 min (UTC epoch) that is >= t0, then every 15 min,
  //   14 days' worth of steps: the last candidate is that first one + 14 days (inclusive);
  // - at the first candidate that is open or busy, step back one minute at a time while the
  //   previous minute is still >= t0 and open or busy; return that minute (epoch ms);
  // - no open candidate: null ("closed until further notice").
  function nextOpening(ch, epochMs) {
    if (!ch || !formatter(ch.timezone)) return null;
    const t0 = Math.ceil(epochMs / MINUTE) * MINUTE;
    const first = Math.ceil(t0 / STEP) * STEP;
    for (let c = first; c <= first + HORIZON; c += STEP) {
      if (status(ch, c) === "closed") continue;
      while (c - MINUTE >= t0 && status(ch, c - MINUTE) !== "closed") c -= MINUTE;
      return c;
    }
    return null;
  }

  // Fill {key} placeholders; a function replacer so "$" in data stays literal.
  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, (m, k) => {
      return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
    });
  }

  function statusText(ch, st, epochMs) {
    const s = stringsOf();
    if (st === "open" && ch.anytime && s.anytime) return s.anytime;
    if (st !== "closed") return s[st] || st;
    const next = nextOpening(ch, epochMs);
    if (next === null) return s.closed_until || s.closed || "closed";
    const there = localParts(ch.timezone, next);
    const here = localParts("", next);
    return fill(s.opens_at, {
      day: (s.weekdays || [])[there.weekday] || "",
      time: there.hhmm,
      local: here ? here.hhmm : there.hhmm
    });
  }

  // YYYY-MM-DD plus n days, by calendar (UTC arithmetic avoids DST surprises).
  function addDays(date, n) {
    const d = new Date(Date.parse(date + "T00:00:00Z") + n * 86400000);
    return isNaN(d) ? date : d.toISOString().slice(0, 10);
  }

  // Notices due at epochMs: from noticeDays before `from` to the end of `to`, by local date.
  function closureNotices(epochMs) {
    const all = channelsOf(), s = stringsOf(), days = Number(data().noticeDays) || 0, out = [];
    Object.keys(all).forEach((name) => {
      const ch = all[name], t = ch && localParts(ch.timezone, epochMs);
      if (!t) return;
      (ch.closures || []).forEach((c) => {
        if (addDays(c.from, -days) <= t.date && t.date <= c.to) {
          out.push(fill(s.closure_banner, {
            channel: ch.title || name, from: c.from_text || c.from,
            to: c.to_text || c.to, note: c.note || ""
          }));
        }
      });
    });
    return out;
  }

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  function draw(epochMs) {
    if (typeof document === "undefined" || !document.querySelectorAll) return;
    const s = stringsOf();
    const known = function (name) { const ch = channel(name); return ch && formatter(ch.timezone) ? ch : null; };
    const memo = {}, texts = {}; // a channel may appear several times on a page
    const statusOf = function (name) {
      if (!(name in memo)) memo[name] = status(known(name), epochMs);
      return memo[name];
    };

    each("[data-channel][data-channel-status]", (el) => {
      const name = el.getAttribute("data-channel"), ch = known(name);
      if (!ch) return; // leave the page's own text for channels we can't compute
      const st = statusOf(name);
      el.setAttribute("data-channel-status", st);
      if (!(name in texts)) texts[name] = statusText(ch, st, epochMs);
      el.textContent = texts[name];
    });

    // Open first, then busy, then closed; the writer's order otherwise (kept across renders).
    each("[data-channel-list]", (list) => {
      const items = Array.prototype.filter.call(list.children, (c) => {
        return c.hasAttribute("data-channel-item");
      });
      if (items.length < 2) return;
      items.forEach((c, i) => {
        if (originalIndex && !originalIndex.has(c)) originalIndex.set(c, i);
      });
      const index = function (c) { return originalIndex ? originalIndex.get(c) : items.indexOf(c); };
      const sorted = items.slice().sort((a, b) => {
        const ra = RANK[statusOf(a.getAttribute("data-channel-item"))];
        const rb = RANK[statusOf(b.getAttribute("data-channel-item"))];
        return ra - rb || index(a) - index(b);
      });
      if (sorted.every((c, i) => { return c === items[i]; })) return; // avoid DOM churn
      const anchor = items[items.length - 1].nextSibling;
      sorted.forEach((c) => { list.insertBefore(c, anchor); });
    });

    // The alternative is suggested while the channel is busy or closed, not while open.
    each("[data-channel-alt]", (el) => {
      const ch = known(el.getAttribute("data-channel-alt"));
      const alt = ch && ch.alternative && channel(ch.alternative);
      if (!alt || statusOf(el.getAttribute("data-channel-alt")) === "open") {
        el.hidden = true;
        return;
      }
      const text = fill(s.try_alternative, { channel: alt.title || ch.alternative });
      const link = el.tagName === "A" ? el : el.querySelector("a");
      if (link) {
        link.textContent = text;
        if (alt.url) link.setAttribute("href", site.link(alt.url));
      } else {
        el.textContent = text;
      }
      el.hidden = false;
    });

    const notices = closureNotices(epochMs);
    each("[data-closure-banner]", (el) => {
      el.textContent = ""; // drops previous notices; data is untrusted, so text nodes only
      notices.forEach((text) => {
        const p = document.createElement("p");
        p.textContent = text;
        el.appendChild(p);
      });
      el.hidden = notices.length === 0;
    });
  }

  const clock = site.liveClock(draw);

  global.helpsiteContact = {
    statusAt(name, epochMs) { return status(channel(name), epochMs); },
    nextOpening(name, epochMs) { return nextOpening(channel(name), epochMs); },
    closureNotices,
    // Draws as at epochMs and stops the clock (tests); without it, as now.
    render: clock.render,
  };

  site.onReady(clock.start);
})(typeof window !== "undefined" ? window : globalThis);
