#!/usr/bin/env python3
"""Measures first-query downloads and top-3 results of helpsite's search and Pagefind's
in headless Chromium, through chromedriver's HTTP API (no extra Python packages).

usage: search_driver.py PUBLIC_DIR SEARCH_JS_BYTES QUERIES.json
Serves PUBLIC_DIR on 127.0.0.1 and counts the bytes of every response body it sends, so
fetches from Web Workers (Pagefind searches in one) are counted like any other; nothing
may be cached (Cache-Control: no-store, and the browser cache is disabled).
Prints one JSON object per query and engine on stdout.
"""
import functools
import http.server
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request

SERVED = {"bytes": 0}
LOCK = threading.Lock()


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def copyfile(self, source, outputfile):
        data = source.read()
        with LOCK:
            SERVED["bytes"] += len(data)
        outputfile.write(data)

    def log_message(self, *args):
        pass

HELPSITE_JS = """
const [query, done] = [arguments[0], arguments[arguments.length - 1]];
performance.setResourceTimingBufferSize(100000);
performance.clearResourceTimings();
const t0 = performance.now();
const input = document.querySelector('[data-search-input]');
const list = document.querySelector('[data-search-results]');
const finish = () => done({ms: performance.now() - t0});
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
  done({ms: performance.now() - t0, first: first && first.meta.title});
})().catch((e) => done({error: String(e)}));
"""


# The first three results, read after the bytes are counted.
HELPSITE_TOP = """
const done = arguments[arguments.length - 1];
const list = document.querySelector('[data-search-results]');
setTimeout(() => done(Array.from(list.querySelectorAll('.search-result-title'), (t) => t.textContent).slice(0, 3)), 1500);
"""

PAGEFIND_TOP = """
const [query, done] = [arguments[0], arguments[arguments.length - 1]];
(async () => {
  const pf = await import('/pagefind/pagefind.js');
  const search = await pf.search(query);
  const top = [];
  for (const r of search.results.slice(0, 3)) top.push((await r.data()).meta.title);
  done(top);
})().catch(() => done([]));
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
    public, search_js_bytes, queries_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    queries = json.load(open(queries_file))
    handler = functools.partial(CountingHandler, directory=public)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
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
        for engine, script, top in (("helpsite", HELPSITE_JS, HELPSITE_TOP),
                                    ("pagefind", PAGEFIND_JS, PAGEFIND_TOP)):
            for q in queries:
                call(base, "POST", s + "/url", {"url": site + "/"})
                time.sleep(0.3)
                with LOCK:
                    before = SERVED["bytes"]
                result = call(base, "POST", s + "/execute/async", {"script": script, "args": [q["q"]]})
                with LOCK:
                    result["bytes"] = SERVED["bytes"] - before
                result["top"] = call(base, "POST", s + "/execute/async", {"script": top, "args": [q["q"]]})
                if engine == "helpsite":
                    # search.js is loaded by every page; count it as part of search.
                    result["bytes"] += search_js_bytes
                result.update(engine=engine, q=q["q"], lang=q["lang"], relevant=q["relevant"])
                print(json.dumps(result, ensure_ascii=False), flush=True)
        call(base, "DELETE", s)
    finally:
        server.shutdown()
        driver.terminate()
        driver.wait()


if __name__ == "__main__":
    main()
