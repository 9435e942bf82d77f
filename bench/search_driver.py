#!/usr/bin/env python3
"""Measures first-query downloads and top-3 results of helpsite's search and Pagefind's
in headless Chromium, through chromedriver's HTTP API (no extra Python packages).

usage: search_driver.py SITE_URL SEARCH_JS_BYTES QUERIES.json
Prints one JSON object per query and engine on stdout.
"""
import json
import socket
import subprocess
import sys
import time
import urllib.request

HELPSITE_JS = """
const [query, done] = [arguments[0], arguments[arguments.length - 1]];
performance.setResourceTimingBufferSize(100000);
performance.clearResourceTimings();
const t0 = performance.now();
const input = document.querySelector('[data-search-input]');
const list = document.querySelector('[data-search-results]');
const finish = () => {
  const t1 = performance.now();
  const bytes = performance.getEntriesByType('resource')
    .filter((e) => e.responseEnd <= t1).reduce((s, e) => s + e.encodedBodySize, 0);
  const wait = () => {
    const titles = Array.from(list.querySelectorAll('.search-result-title'), (t) => t.textContent);
    const n = list.querySelectorAll('a[data-search-result]').length;
    if (n >= Math.min(3, titles.length) && performance.now() - t1 > 300) done({bytes, ms: t1 - t0, top: titles.slice(0, 3)});
    else setTimeout(wait, 50);
  };
  wait();
};
const observer = new MutationObserver(() => {
  if (list.querySelector('a[data-search-result]') || list.querySelector('.search-empty')) { observer.disconnect(); finish(); }
});
observer.observe(list, {childList: true, subtree: true});
input.value = query;
input.dispatchEvent(new Event('input', {bubbles: true}));
"""

PAGEFIND_JS = """
const [query, done] = [arguments[0], arguments[arguments.length - 1]];
performance.setResourceTimingBufferSize(100000);
performance.clearResourceTimings();
const t0 = performance.now();
(async () => {
  const pf = await import('/pagefind/pagefind.js');
  const search = await pf.search(query);
  const first = search.results.length ? await search.results[0].data() : null;
  const t1 = performance.now();
  const bytes = performance.getEntriesByType('resource')
    .filter((e) => e.responseEnd <= t1).reduce((s, e) => s + e.encodedBodySize, 0);
  const top = [];
  for (const r of search.results.slice(0, 3)) top.push((await r.data()).meta.title);
  done({bytes, ms: t1 - t0, top});
})().catch((e) => done({error: String(e)}));
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read())["value"]


def main():
    site, search_js_bytes, queries_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    queries = json.load(open(queries_file))
    port = free_port()
    driver = subprocess.Popen(["chromedriver", f"--port={port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                call(base, "GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]}}}}
        session = call(base, "POST", "/session", caps)["sessionId"]
        s = f"/session/{session}"
        call(base, "POST", s + "/timeouts", {"script": 60000})
        call(base, "POST", s + "/goog/cdp/execute",
             {"cmd": "Network.setCacheDisabled", "params": {"cacheDisabled": True}})
        for engine, script in (("helpsite", HELPSITE_JS), ("pagefind", PAGEFIND_JS)):
            for q in queries:
                call(base, "POST", s + "/url", {"url": site + "/"})
                result = call(base, "POST", s + "/execute/async", {"script": script, "args": [q["q"]]})
                if engine == "helpsite":
                    # search.js is loaded by every page; count it as part of search.
                    result["bytes"] += search_js_bytes
                result.update(engine=engine, q=q["q"], lang=q["lang"], relevant=q["relevant"])
                print(json.dumps(result, ensure_ascii=False), flush=True)
        call(base, "DELETE", s)
    finally:
        driver.terminate()
        driver.wait()


if __name__ == "__main__":
    main()
