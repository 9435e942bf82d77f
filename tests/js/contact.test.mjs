// Schedule logic and rendering of themes/default/static/contact.js, run in a `vm` context.
// Run with: node --test tests/js/
// The reader's zone is pinned so "{local}" is deterministic (before any Intl use).
process.env.TZ = "Europe/Paris";

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const SCRIPT = readFileSync(new URL("../../themes/default/static/contact.js", import.meta.url), "utf8");
// contact.js uses site.js (links, the live clock), which pages load before it.
const SITE = readFileSync(new URL("../../themes/default/static/site.js", import.meta.url), "utf8");

// Runs site.js and then contact.js in one fresh context with `globals`.
function runContact(globals) {
  const context = vm.createContext(globals);
  vm.runInContext(SITE, context);
  vm.runInContext(SCRIPT, context);
}
const at = (iso) => Date.parse(iso);
const iso = (ms) => (ms === null ? null : new Date(ms).toISOString().replace(".000", ""));
const weekdays = (s, e) => [0, 1, 2, 3, 4].map((d) => [d, s, e]);

const STRINGS = {
  open: "Open now", busy: "Busy now — expect a wait", closed: "Closed",
  opens_at: "Closed — opens {day} {time} (your time: {local})",
  closed_until: "Closed until further notice",
  closure_banner: "{channel} is closed from {from} to {to}: {note}",
  weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
  try_alternative: "Try {channel} instead",
  anytime: "Write to us any time",
};

const CHANNELS = {
  // Weekdays 09:00–18:00 in Shanghai (UTC+8, no DST), busy the first and last hour.
  hotline: { title: "Hotline", url: "/contact/hotline/", timezone: "Asia/Shanghai", always: false,
    hours: weekdays(540, 1080), busy: [...weekdays(540, 600), ...weekdays(1020, 1080)],
    closures: [], alternative: "app" },
  // Same hotline with a closure from Friday 2026-03-13 to Monday 2026-03-16.
  holiday: { title: "Holiday line", url: "/h/", timezone: "Asia/Shanghai", always: false,
    hours: weekdays(540, 1080), busy: [],
    closures: [{ from: "2026-03-13", to: "2026-03-16", note: "Spring break" }], alternative: null },
  // Friday 22:00 → Saturday 02:00 in Tokyo (UTC+9).
  night: { title: "Night line", url: "/n/", timezone: "Asia/Tokyo", always: false,
    hours: [[4, 1320, 1560]], busy: [], closures: [], alternative: null },
  // Every day 09:00–17:00 in New York; DST starts 2026-03-08 02:00 local.
  ny: { title: "NY desk", url: "/ny/", timezone: "America/New_York", always: false,
    hours: [0, 1, 2, 3, 4, 5, 6].map((d) => [d, 540, 1020]), busy: [], closures: [], alternative: null },
  app: { title: "In-app hotline", url: "/contact/app/", timezone: "Asia/Shanghai", always: true,
    hours: [], busy: [], closures: [], alternative: null },
  app_closed: { title: "In-app <b>& co</b>", url: "/a/", timezone: "Asia/Shanghai", always: true,
    hours: [], busy: [], closures: [{ from: "2026-03-13", to: "2026-03-16", note: "Upgrade $1 <i>" }],
    alternative: null },
  // Monday 09:05–10:00 UTC: an opening that is not on a 15-minute boundary.
  odd: { title: "Odd", url: "/o/", timezone: "UTC", always: false,
    hours: [[0, 545, 600]], busy: [], closures: [], alternative: null },
  // Closed for 25 days: no opening within the 14-day horizon for most of it.
  long: { title: "Long", url: "/l/", timezone: "UTC", always: true, hours: [], busy: [],
    closures: [{ from: "2026-03-01", to: "2026-03-25", note: "Moving" }], alternative: null },
  // An inbox: no hours at all.
  inbox: { title: "Email", url: "/e/", timezone: "UTC", always: true, anytime: true,
    hours: [], busy: [], closures: [], alternative: null },
  bogus: { title: "Bogus", url: "/b/", timezone: "Mars/Olympus_Mons", always: true,
    hours: [], busy: [], closures: [], alternative: "app" },
};

// Loads contact.js in a fresh context; `extra` adds globals (document, timers).
function load(channels = { noticeDays: 7, strings: STRINGS, channels: CHANNELS }, extra = {}) {
  const window = { helpsiteChannels: channels };
  runContact({ window, ...extra });
  return window.helpsiteContact;
}

test("weekday hotline in Asia/Shanghai: open, busy, closed", () => {
  const c = load();
  assert.equal(c.statusAt("hotline", at("2026-03-10T02:00:00Z")), "open"); // Tue 10:00
  assert.equal(c.statusAt("hotline", at("2026-03-10T01:30:00Z")), "busy"); // Tue 09:30
  assert.equal(c.statusAt("hotline", at("2026-03-10T00:59:59Z")), "closed"); // Tue 08:59:59
  assert.equal(c.statusAt("hotline", at("2026-03-10T01:00:00Z")), "busy"); // Tue 09:00
  assert.equal(c.statusAt("hotline", at("2026-03-10T09:30:00Z")), "busy"); // Tue 17:30
  assert.equal(c.statusAt("hotline", at("2026-03-10T09:59:59Z")), "busy"); // Tue 17:59:59
  assert.equal(c.statusAt("hotline", at("2026-03-10T10:00:00Z")), "closed"); // Tue 18:00
  // Tue 02:00 UTC is still Monday 22:00 in New York, but Shanghai's date is what counts.
  assert.equal(c.statusAt("hotline", at("2026-03-14T02:00:00Z")), "closed"); // Sat 10:00
});

test("next opening: next morning, and across a weekend", () => {
  const c = load();
  assert.equal(iso(c.nextOpening("hotline", at("2026-03-10T10:00:00Z"))), "2026-03-11T01:00:00Z");
  assert.equal(iso(c.nextOpening("hotline", at("2026-03-13T10:00:00Z"))), "2026-03-16T01:00:00Z"); // Fri 18:00 → Mon 09:00
  assert.equal(iso(c.nextOpening("hotline", at("2026-03-14T12:34:56Z"))), "2026-03-16T01:00:00Z"); // Saturday
});

test("a range past midnight: Friday 22:00 → Saturday 02:00 as [4, 1320, 1560]", () => {
  const c = load();
  assert.equal(c.statusAt("night", at("2026-03-13T12:59:00Z")), "closed"); // Fri 21:59
  assert.equal(c.statusAt("night", at("2026-03-13T13:00:00Z")), "open"); // Fri 22:00
  assert.equal(c.statusAt("night", at("2026-03-13T15:00:00Z")), "open"); // Sat 00:00
  assert.equal(c.statusAt("night", at("2026-03-13T16:59:00Z")), "open"); // Sat 01:59
  assert.equal(c.statusAt("night", at("2026-03-13T17:00:00Z")), "closed"); // Sat 02:00
  assert.equal(c.statusAt("night", at("2026-03-12T15:30:00Z")), "closed"); // Fri 00:30: Thursday has no spill
  assert.equal(c.statusAt("night", at("2026-03-14T15:30:00Z")), "closed"); // Sun 00:30
  assert.equal(iso(c.nextOpening("night", at("2026-03-13T17:00:00Z"))), "2026-03-20T13:00:00Z"); // a week later
});

test("DST change in America/New_York (2026-03-08)", () => {
  const c = load();
  assert.equal(c.statusAt("ny", at("2026-03-08T13:30:00Z")), "open"); // 09:30 EDT
  assert.equal(c.statusAt("ny", at("2026-03-07T13:30:00Z")), "closed"); // 08:30 EST
  assert.equal(iso(c.nextOpening("ny", at("2026-03-07T13:30:00Z"))), "2026-03-07T14:00:00Z"); // 09:00 EST
  assert.equal(c.statusAt("ny", at("2026-03-07T21:59:00Z")), "open"); // 16:59 EST
  assert.equal(c.statusAt("ny", at("2026-03-07T22:00:00Z")), "closed"); // 17:00 EST
  // Saturday 17:00 EST → Sunday 09:00 EDT: the clocks moved, so 13:00 UTC, not 14:00.
  assert.equal(iso(c.nextOpening("ny", at("2026-03-07T22:00:00Z"))), "2026-03-08T13:00:00Z");
  assert.equal(c.statusAt("ny", at("2026-03-08T12:59:00Z")), "closed"); // 08:59 EDT
  assert.equal(c.statusAt("ny", at("2026-03-08T20:59:00Z")), "open"); // 16:59 EDT
  assert.equal(c.statusAt("ny", at("2026-03-08T21:00:00Z")), "closed"); // 17:00 EDT
  // The other way: 2026-11-01 back to EST; 09:00 EST = 14:00 UTC.
  assert.equal(iso(c.nextOpening("ny", at("2026-10-31T22:00:00Z"))), "2026-11-01T14:00:00Z");
});

test("a closure spanning a weekend, by the channel's local date", () => {
  const c = load();
  assert.equal(c.statusAt("holiday", at("2026-03-12T09:59:00Z")), "open"); // Thu 17:59
  assert.equal(c.statusAt("holiday", at("2026-03-13T02:00:00Z")), "closed"); // Fri 10:00, closed
  assert.equal(c.statusAt("holiday", at("2026-03-16T02:00:00Z")), "closed"); // Mon 10:00, closed
  assert.equal(c.statusAt("holiday", at("2026-03-17T02:00:00Z")), "open"); // Tue 10:00
  assert.equal(iso(c.nextOpening("holiday", at("2026-03-12T10:00:00Z"))), "2026-03-17T01:00:00Z");
});

test("24/7, with and without a closure", () => {
  const c = load();
  for (const t of ["2026-03-14T03:00:00Z", "2026-03-15T16:00:00Z", "2026-03-11T23:59:59Z"]) {
    assert.equal(c.statusAt("app", at(t)), "open", t);
  }
  assert.equal(c.statusAt("app_closed", at("2026-03-12T15:59:59Z")), "open"); // Thu 23:59:59 local
  assert.equal(c.statusAt("app_closed", at("2026-03-12T16:00:00Z")), "closed"); // Fri 00:00 local
  // Monday 23:59 local is still closed although it is Monday 15:59 in UTC; Tuesday 00:00 opens.
  assert.equal(c.statusAt("app_closed", at("2026-03-16T15:59:00Z")), "closed");
  assert.equal(c.statusAt("app_closed", at("2026-03-16T16:00:00Z")), "open");
  assert.equal(iso(c.nextOpening("app_closed", at("2026-03-14T05:07:30Z"))), "2026-03-16T16:00:00Z");
});

test("next opening: minute steps back, never before the instant, 14-day horizon", () => {
  const c = load();
  // Opening at 09:05: the 09:15 candidate is open, stepping back finds 09:05.
  assert.equal(iso(c.nextOpening("odd", at("2026-03-16T08:00:00Z"))), "2026-03-16T09:05:00Z");
  // Instant 09:04:30 rounds up to 09:05, which is open.
  assert.equal(iso(c.nextOpening("odd", at("2026-03-16T09:04:30Z"))), "2026-03-16T09:05:00Z");
  // Already open at 09:07: the step back stops at the instant rounded up (09:08).
  assert.equal(iso(c.nextOpening("odd", at("2026-03-16T09:07:00Z"))), "2026-03-16T09:07:00Z");
  assert.equal(iso(c.nextOpening("odd", at("2026-03-16T09:07:01Z"))), "2026-03-16T09:08:00Z");
  // Closed 2026-03-01..25: from 03-02 the reopening (03-26) is 24 days away.
  assert.equal(c.nextOpening("long", at("2026-03-02T00:00:00Z")), null);
  // From 03-12 00:00 it is exactly 14 days away: the horizon is inclusive.
  assert.equal(iso(c.nextOpening("long", at("2026-03-12T00:00:00Z"))), "2026-03-26T00:00:00Z");
  // The 14 days count from the first 15-minute candidate (as in schedule.rs):
  // from 23:45 the last candidate is 03-25 23:45; from 23:45:01 the grid starts at 00:00.
  assert.equal(c.nextOpening("long", at("2026-03-11T23:45:00Z")), null);
  assert.equal(iso(c.nextOpening("long", at("2026-03-11T23:45:01Z"))), "2026-03-26T00:00:00Z");
  assert.equal(iso(c.nextOpening("long", at("2026-03-11T23:59:00Z"))), "2026-03-26T00:00:00Z");
});

test("never throws: missing data, unknown channel, unknown zone", () => {
  const window = {}; // channels.js not loaded at all
  runContact({ window });
  for (const none of [window.helpsiteContact, load(null), load({ channels: null })]) {
    assert.equal(none.statusAt("hotline", at("2026-03-10T02:00:00Z")), "closed");
    assert.equal(none.nextOpening("hotline", at("2026-03-10T02:00:00Z")), null);
    none.render(at("2026-03-10T02:00:00Z")); // no document either
  }
  const { el, body } = page(); // a document, but no channels.js
  load(null, { document: fakeDocument(body) }).render(at("2026-03-10T02:00:00Z"));
  assert.equal(el.bogus.textContent, "server text");
  assert.equal(el.banner.hidden, true);
  const c = load();
  assert.equal(c.statusAt("nope", at("2026-03-10T02:00:00Z")), "closed");
  assert.equal(c.statusAt("constructor", at("2026-03-10T02:00:00Z")), "closed");
  const noZone = load({ channels: { x: { always: true } } }); // must not fall back to the reader's zone
  assert.equal(noZone.statusAt("x", at("2026-03-10T02:00:00Z")), "closed");
  assert.equal(c.statusAt("bogus", at("2026-03-10T02:00:00Z")), "closed");
  assert.equal(c.nextOpening("bogus", at("2026-03-10T02:00:00Z")), null);
});

// ---- A minimal DOM, just what contact.js uses ----
class El {
  constructor(tag, attrs = {}, kids = []) {
    this.tagName = tag.toUpperCase(); this.attrs = { ...attrs }; this.children = [];
    this.parent = null; this.hidden = "hidden" in attrs; this.text = "";
    kids.forEach((k) => this.appendChild(k));
  }
  getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; }
  setAttribute(n, v) { this.attrs[n] = String(v); }
  hasAttribute(n) { return n in this.attrs; }
  get nextSibling() { const s = this.parent.children; return s[s.indexOf(this) + 1] || null; }
  appendChild(c) { return this.insertBefore(c, null); }
  insertBefore(c, ref) {
    if (c.parent) c.parent.children.splice(c.parent.children.indexOf(c), 1);
    const i = ref ? this.children.indexOf(ref) : this.children.length;
    this.children.splice(i, 0, c); c.parent = this; return c;
  }
  get textContent() { return this.text + this.children.map((c) => c.textContent).join(""); }
  set textContent(v) { this.children.forEach((c) => (c.parent = null)); this.children = []; this.text = String(v); }
  all() { return this.children.flatMap((c) => [c, ...c.all()]); }
  querySelector(sel) { return this.all().find((e) => e.tagName === sel.toUpperCase()) || null; }
}

function fakeDocument(body) {
  const names = (sel) => [...sel.matchAll(/\[([\w-]+)\]/g)].map((m) => m[1]);
  return {
    readyState: "complete",
    addEventListener() {},
    createElement: (tag) => new El(tag),
    querySelectorAll: (sel) => body.all().filter((e) => names(sel).every((n) => e.hasAttribute(n))),
  };
}

function page() {
  const s = (name) => new El("span", { "data-channel": name, "data-channel-status": "" });
  const el = {
    hotline: s("hotline"), app: s("app"), inbox: s("inbox"), holiday: s("holiday"), long: s("long"), bogus: s("bogus"),
    list: new El("ul", { "data-channel-list": "" }, ["holiday", "hotline", "app", "long"].map(
      (n) => new El("li", { "data-channel-item": n }))),
    alt: new El("p", { "data-channel-alt": "hotline", hidden: "" }, [new El("a", { href: "#" })]),
    banner: new El("div", { "data-closure-banner": "", hidden: "" }),
  };
  el.bogus.textContent = "server text";
  return { el, body: new El("body", {}, Object.values(el)) };
}

test("render: statuses, list order, alternative, closure banner, timer", () => {
  const { el, body } = page();
  const timers = [];
  const ctx = {
    document: fakeDocument(body),
    setInterval: (fn, ms) => (timers.push({ fn, ms, live: true }), timers.length),
    clearInterval: (id) => (timers[id - 1].live = false),
  };
  const hc = load(undefined, ctx);
  assert.equal(timers.length, 1, "started at load, document already complete");
  assert.equal(timers[0].ms, 60000);

  // Friday 2026-03-06 18:00 Shanghai (10:00 UTC, 11:00 in Paris): the hotline is closed.
  hc.render(at("2026-03-06T10:00:00Z"));
  assert.equal(timers[0].live, false, "an explicit instant stops the real-clock timer");
  assert.equal(el.hotline.getAttribute("data-channel-status"), "closed");
  assert.equal(el.hotline.textContent, "Closed — opens Monday 09:00 (your time: 02:00)");
  assert.equal(el.app.getAttribute("data-channel-status"), "open");
  assert.equal(el.app.textContent, "Open now");
  assert.equal(el.inbox.getAttribute("data-channel-status"), "open");
  assert.equal(el.inbox.textContent, "Write to us any time", "no hours: an inbox, not a line");
  assert.equal(el.long.textContent, "Closed until further notice");
  assert.equal(el.bogus.textContent, "server text", "unknown zone: left alone");
  assert.deepEqual(el.list.children.map((e) => e.getAttribute("data-channel-item")),
    ["app", "holiday", "hotline", "long"]);
  assert.equal(el.alt.hidden, false);
  assert.equal(el.alt.children[0].textContent, "Try In-app hotline instead");
  assert.equal(el.alt.children[0].getAttribute("href"), "/contact/app/");
  // 7 days before 2026-03-13 (Shanghai date 2026-03-06): both closures are announced.
  assert.equal(el.banner.hidden, false);
  assert.deepEqual(el.banner.children.map((p) => [p.tagName, p.textContent]), [
    ["P", "Holiday line is closed from 2026-03-13 to 2026-03-16: Spring break"],
    ["P", "In-app <b>& co</b> is closed from 2026-03-13 to 2026-03-16: Upgrade $1 <i>"],
    ["P", "Long is closed from 2026-03-01 to 2026-03-25: Moving"],
  ]);

  // Tuesday 09:30 Shanghai: busy hotline, still listed after the open ones; the holiday
  // line is open; writer's order otherwise. Busy is reason enough to suggest the alternative.
  hc.render(at("2026-03-10T01:30:00Z"));
  assert.equal(el.hotline.getAttribute("data-channel-status"), "busy");
  assert.equal(el.hotline.textContent, "Busy now — expect a wait");
  assert.deepEqual(el.list.children.map((e) => e.getAttribute("data-channel-item")),
    ["holiday", "app", "hotline", "long"]);
  assert.equal(el.alt.hidden, false, "hotline busy: its alternative is suggested");
  assert.equal(el.alt.children[0].textContent, "Try In-app hotline instead");

  // Tuesday 11:00 Shanghai: the hotline is open, so no alternative; open ones first,
  // in the writer's order.
  hc.render(at("2026-03-10T03:00:00Z"));
  assert.equal(el.hotline.getAttribute("data-channel-status"), "open");
  assert.equal(el.alt.hidden, true, "hotline open: no alternative shown");
  assert.deepEqual(el.list.children.map((e) => e.getAttribute("data-channel-item")),
    ["holiday", "hotline", "app", "long"]);

  // Closed again (Tuesday 18:00): shown again.
  hc.render(at("2026-03-10T10:00:00Z"));
  assert.equal(el.alt.hidden, false, "hotline closed: its alternative is suggested");

  // 2026-03-05 23:59 Shanghai is 8 days before: only the current closure remains.
  hc.render(at("2026-03-05T15:59:00Z"));
  assert.equal(el.banner.children.length, 1);
  // After every closure ended (2026-03-26 everywhere): banner hidden and empty.
  hc.render(at("2026-03-26T00:00:00Z"));
  assert.equal(el.banner.children.length, 0);
  assert.equal(el.banner.hidden, true);
});

// The instants of tests/fixtures/contact-cases.toml, shared with the Rust schedule tests
// and the Chromium test. The file holds only `[[case]]` tables of `key = "string"` lines,
// so a few lines of parsing are enough here.
function sharedCases() {
  const text = readFileSync(new URL("../fixtures/contact-cases.toml", import.meta.url), "utf8");
  const cases = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "[[case]]") cases.push({ next: "" });
    else if (line) {
      const m = /^(\w+)\s*=\s*"([^"]*)"$/.exec(line);
      assert.ok(m && cases.length, `unexpected line in contact-cases.toml: ${raw}`);
      cases[cases.length - 1][m[1]] = m[2];
    }
  }
  return cases;
}

test("the shared instants of contact-cases.toml", () => {
  // The channels of tests/fixtures/contact, as channels.js describes them.
  const sh = (extra) => ({ title: "x", url: "/", timezone: "Asia/Shanghai", always: false,
    hours: [], busy: [], closures: [], alternative: null, ...extra });
  const hotline = sh({ hours: weekdays(540, 1080), busy: [...weekdays(540, 600), ...weekdays(1020, 1080)] });
  const channels = {
    hotline,
    "long-weekend": { ...hotline, closures: [{ from: "2026-10-02", to: "2026-10-05", note: "Long weekend" }] },
    "night-line": sh({ hours: [[4, 1320, 1560]] }),
    "new-york": CHANNELS.ny,
    always: sh({ always: true, closures: [{ from: "2026-10-05", to: "2026-10-05", note: "" }] }),
    email: { ...CHANNELS.inbox },
    forum: sh({ timezone: "UTC", always: true, closures: [{ from: "2026-06-01", to: "2026-06-30", note: "" }] }),
  };
  const c = load({ strings: STRINGS, channels });
  const cases = sharedCases();
  assert.ok(cases.length >= 20, `only ${cases.length} shared cases`);
  for (const { channel, at: t, status, next } of cases) {
    assert.ok(channel in channels, `no channel data for ${channel}`);
    assert.equal(c.statusAt(channel, at(t)), status, `${channel} at ${t}`);
    if (status === "closed") {
      assert.equal(iso(c.nextOpening(channel, at(t))), next || null, `${channel} next after ${t}`);
    }
  }
});
