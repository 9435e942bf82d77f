// Live status of contact channels (see "Contact channels" in THEME.md).
// The schedule rules here must match the Rust side exactly: tests compare both.
(function () {
  "use strict";

  var MINUTE = 60000;
  var STEP = 15 * MINUTE;
  var HORIZON = 14 * 24 * 60 * MINUTE;
  var WEEKDAYS = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
  var RANK = { open: 0, busy: 1, closed: 2 };

  var root = typeof window !== "undefined" ? window : {};
  var formatters = {}; // one per zone; null when the browser doesn't know the zone
  var timer = null;
  var frozen = false; // set once render(epochMs) pins an instant (tests)
  var originalIndex = typeof WeakMap === "function" ? new WeakMap() : null;

  function data() {
    var d = root.helpsiteChannels;
    return d && typeof d === "object" ? d : { channels: {}, strings: {} };
  }
  function channelsOf() { return data().channels || {}; }
  function channel(name) {
    var all = channelsOf();
    return Object.prototype.hasOwnProperty.call(all, name) ? all[name] : null;
  }
  function stringsOf() { return data().strings || {}; }

  // "" stands for the reader's own zone (Intl's default).
  function formatter(zone) {
    if (typeof zone !== "string") return null; // a channel without a zone: unknown
    if (!Object.prototype.hasOwnProperty.call(formatters, zone)) {
      var opts = { hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
                   weekday: "short", hour: "2-digit", minute: "2-digit" };
      if (zone) opts.timeZone = zone;
      try { formatters[zone] = new Intl.DateTimeFormat("en-US", opts); }
      catch (e) { formatters[zone] = null; } // unknown zone: RangeError
    }
    return formatters[zone];
  }

  // Local date "YYYY-MM-DD", weekday (0 = Monday) and minute of day; null if unknown zone.
  function localParts(zone, epochMs) {
    var f = formatter(zone);
    if (!f) return null;
    var p = {};
    f.formatToParts(new Date(epochMs)).forEach(function (x) { p[x.type] = x.value; });
    var hour = parseInt(p.hour, 10) % 24; // some engines print midnight as "24"
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
    var prev = (t.weekday + 6) % 7;
    return (ranges || []).some(function (r) {
      if (r[0] === t.weekday && r[1] <= t.minute && t.minute < Math.min(r[2], 1440)) return true;
      return r[0] === prev && r[2] > 1440 && t.minute < r[2] - 1440;
    });
  }

  function inClosure(ch, date) {
    return (ch.closures || []).some(function (c) { return c.from <= date && date <= c.to; });
  }

  function status(ch, epochMs) {
    var t = ch && localParts(ch.timezone, epochMs);
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
    var t0 = Math.ceil(epochMs / MINUTE) * MINUTE;
    var first = Math.ceil(t0 / STEP) * STEP;
    for (var c = first; c <= first + HORIZON; c += STEP) {
      if (status(ch, c) === "closed") continue;
      while (c - MINUTE >= t0 && status(ch, c - MINUTE) !== "closed") c -= MINUTE;
      return c;
    }
    return null;
  }

  // Fill {key} placeholders; a function replacer so "$" in data stays literal.
  // Channel links start at the top of the site (`/help/contact/chat/`). A site built
  // with `relative_links` says on <html> how to reach the top from this page, so the
  // link goes that way, to the folder's index.html, and also opens from disk.
  // (banner.js does the same for announcement links; each script stands alone.)
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

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
    });
  }

  function statusText(ch, st, epochMs) {
    var s = stringsOf();
    if (st === "open" && ch.anytime && s.anytime) return s.anytime;
    if (st !== "closed") return s[st] || st;
    var next = nextOpening(ch, epochMs);
    if (next === null) return s.closed_until || s.closed || "closed";
    var there = localParts(ch.timezone, next);
    var here = localParts("", next);
    return fill(s.opens_at, {
      day: (s.weekdays || [])[there.weekday] || "",
      time: there.hhmm,
      local: here ? here.hhmm : there.hhmm
    });
  }

  // YYYY-MM-DD plus n days, by calendar (UTC arithmetic avoids DST surprises).
  function addDays(date, n) {
    var d = new Date(Date.parse(date + "T00:00:00Z") + n * 86400000);
    return isNaN(d) ? date : d.toISOString().slice(0, 10);
  }

  // Notices due at epochMs: from noticeDays before `from` to the end of `to`, by local date.
  function closureNotices(epochMs) {
    var all = channelsOf(), s = stringsOf(), days = Number(data().noticeDays) || 0, out = [];
    Object.keys(all).forEach(function (name) {
      var ch = all[name], t = ch && localParts(ch.timezone, epochMs);
      if (!t) return;
      (ch.closures || []).forEach(function (c) {
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
    var s = stringsOf();
    var known = function (name) { var ch = channel(name); return ch && formatter(ch.timezone) ? ch : null; };
    var memo = {}, texts = {}; // a channel may appear several times on a page
    var statusOf = function (name) {
      if (!(name in memo)) memo[name] = status(known(name), epochMs);
      return memo[name];
    };

    each("[data-channel][data-channel-status]", function (el) {
      var name = el.getAttribute("data-channel"), ch = known(name);
      if (!ch) return; // leave the page's own text for channels we can't compute
      var st = statusOf(name);
      el.setAttribute("data-channel-status", st);
      if (!(name in texts)) texts[name] = statusText(ch, st, epochMs);
      el.textContent = texts[name];
    });

    // Open first, then busy, then closed; the writer's order otherwise (kept across renders).
    each("[data-channel-list]", function (list) {
      var items = Array.prototype.filter.call(list.children, function (c) {
        return c.hasAttribute("data-channel-item");
      });
      if (items.length < 2) return;
      items.forEach(function (c, i) {
        if (originalIndex && !originalIndex.has(c)) originalIndex.set(c, i);
      });
      var index = function (c) { return originalIndex ? originalIndex.get(c) : items.indexOf(c); };
      var sorted = items.slice().sort(function (a, b) {
        var ra = RANK[statusOf(a.getAttribute("data-channel-item"))];
        var rb = RANK[statusOf(b.getAttribute("data-channel-item"))];
        return ra - rb || index(a) - index(b);
      });
      if (sorted.every(function (c, i) { return c === items[i]; })) return; // avoid DOM churn
      var anchor = items[items.length - 1].nextSibling;
      sorted.forEach(function (c) { list.insertBefore(c, anchor); });
    });

    // The alternative is suggested while the channel is busy or closed, not while open.
    each("[data-channel-alt]", function (el) {
      var ch = known(el.getAttribute("data-channel-alt"));
      var alt = ch && ch.alternative && channel(ch.alternative);
      if (!alt || statusOf(el.getAttribute("data-channel-alt")) === "open") {
        el.hidden = true;
        return;
      }
      var text = fill(s.try_alternative, { channel: alt.title || ch.alternative });
      var link = el.tagName === "A" ? el : el.querySelector("a");
      if (link) {
        link.textContent = text;
        if (alt.url) link.setAttribute("href", siteLink(alt.url));
      } else {
        el.textContent = text;
      }
      el.hidden = false;
    });

    var notices = closureNotices(epochMs);
    each("[data-closure-banner]", function (el) {
      el.textContent = ""; // drops previous notices; data is untrusted, so text nodes only
      notices.forEach(function (text) {
        var p = document.createElement("p");
        p.textContent = text;
        el.appendChild(p);
      });
      el.hidden = notices.length === 0;
    });
  }

  function safeDraw(epochMs) {
    try { draw(epochMs); } catch (e) { /* a broken page must not break the rest of it */ }
  }

  function start() {
    if (frozen) return;
    safeDraw(Date.now());
    if (timer === null && typeof setInterval === "function") {
      timer = setInterval(function () { safeDraw(Date.now()); }, 60000);
    }
  }

  root.helpsiteContact = {
    statusAt: function (name, epochMs) { return status(channel(name), epochMs); },
    nextOpening: function (name, epochMs) { return nextOpening(channel(name), epochMs); },
    closureNotices: closureNotices,
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
