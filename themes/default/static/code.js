// A "Copy" button on every code block of an article (see "Code blocks" in THEME.md).
// The button's words come from the script tag (`data-copy`, `data-copy-label`,
// `data-copied`), in the page's language; without this script the code is plain text
// a reader selects by hand.
(function (global) {
  "use strict";

  const script = global.document && global.document.currentScript;
  const words = {
    copy: (script && script.getAttribute("data-copy")) || "Copy",
    label: (script && script.getAttribute("data-copy-label")) || "Copy the code",
    copied: (script && script.getAttribute("data-copied")) || "Copied",
  };

  // The clipboard API needs a secure context (https, localhost); a page opened from
  // a file or plain http falls back to selecting the text and the older command.
  function copyText(text, pre) {
    if (global.navigator && global.navigator.clipboard && global.isSecureContext) {
      return global.navigator.clipboard.writeText(text);
    }
    return new Promise((resolve, reject) => {
      const range = global.document.createRange();
      range.selectNodeContents(pre);
      const selection = global.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      const done = global.document.execCommand && global.document.execCommand("copy");
      selection.removeAllRanges();
      if (done) resolve();
      else reject(new Error("copy refused"));
    });
  }

  function addButton(pre) {
    const code = pre.querySelector("code") || pre;
    const frame = global.document.createElement("div");
    frame.className = "code-frame";
    pre.parentNode.insertBefore(frame, pre);
    frame.appendChild(pre);
    const button = global.document.createElement("button");
    button.type = "button";
    button.className = "code-copy";
    button.textContent = words.copy;
    button.setAttribute("aria-label", words.label);
    let timer = 0;
    button.addEventListener("click", () => {
      copyText(code.textContent, pre).then(() => {
        button.textContent = words.copied;
        global.clearTimeout(timer);
        timer = global.setTimeout(() => {
          button.textContent = words.copy;
        }, 2000);
      }, () => {});
    });
    frame.appendChild(button);
  }

  function start() {
    const blocks = global.document.querySelectorAll(".content pre");
    Array.prototype.forEach.call(blocks, addButton);
  }

  if (global.document) {
    if (global.document.readyState === "loading") {
      global.document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }
})(typeof window !== "undefined" ? window : globalThis);
