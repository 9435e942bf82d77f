// themes/default/static/site.js: links to the site's own pages from where the reader is.
// Run with: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const SCRIPT = readFileSync(new URL("../../themes/default/static/site.js", import.meta.url), "utf8");

// Loads site.js as a page at `protocol` whose <html> carries `attrs`.
function load(protocol, attrs = {}) {
  const documentElement = { getAttribute: (name) => (name in attrs ? attrs[name] : null) };
  const window = { location: { protocol } };
  vm.runInNewContext(SCRIPT, { window, document: { documentElement } });
  return window.helpsiteSite;
}

test("absolute links stay as they are on a site built with absolute links", () => {
  const site = load("https:");
  assert.equal(site.link("/help/account/reset/"), "/help/account/reset/");
  assert.equal(site.link("https://status.example.com/"), "https://status.example.com/");
});

test("relative_links: the way up from this page, to the folder's index.html", () => {
  const site = load("file:", { "data-helpsite-root": "../../", "data-helpsite-base": "/help/" });
  assert.equal(site.link("/help/account/reset/"), "../../account/reset/index.html");
  assert.equal(site.link("/help/"), "../../index.html");
  assert.equal(site.link("/help/contact/chat/?from=banner#hours"), "../../contact/chat/index.html?from=banner#hours");
  assert.equal(site.link("/help/old/page.html"), "../../old/page.html");
  // Outside the site's base: left alone.
  assert.equal(site.link("/elsewhere/"), "/elsewhere/");
});

test("fromRoot names index.html only on disk", () => {
  assert.equal(load("file:").fromRoot("../", "account/"), "../account/index.html");
  assert.equal(load("file:").fromRoot("", ""), "index.html");
  assert.equal(load("http:").fromRoot("../", "account/"), "../account/");
  assert.equal(load("http:").fromRoot("", ""), "./");
});
