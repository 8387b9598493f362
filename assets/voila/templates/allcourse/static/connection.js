// Tells the student, in plain words, when this page has lost the part of the course server
// that grades it (the page's kernel stopped, or the server restarted), what is still saved,
// what was not, and what to do. Loaded in <head>, before Voila's scripts open their sockets.
//
// How a loss is noticed: when the page's kernel socket closes (and the student is not
// leaving), this script asks the course's storage widget to ping its kernel
// (storage_widget.js), which answers with "allcourse-connection-ok". A kernel that
// restarted has no such widget and a server that went away answers nothing: with no
// answer within ANSWER_MS the page says so. (A brief network drop reconnects to the same
// kernel, which answers, and nothing is shown.) A drop while the page is still drawing its
// widgets can lose the kernel's answers to the page's requests for them: if the page is
// still not drawn 2 x ANSWER_MS after such a drop, it says parts are missing.
(function () {
  "use strict";
  const KERNEL_SOCKET = /\/api\/kernels\/[^/?]+\/channels/;
  const ANSWER_MS = 10000;
  const WIDGET = "application/vnd.jupyter.widget-view+json";
  let leaving = false;
  let waiting = null;
  let shown = false;
  let interrupted = false; // a socket closed before every widget was drawn
  let widgetOutputs = null; // widget outputs in the page as sent (Voila removes them later)

  document.addEventListener("DOMContentLoaded", () => {
    const outputs = document.querySelectorAll(
      'script[type="application/vnd.voila.cell-output+json"]',
    );
    widgetOutputs = [...outputs].filter((s) => s.textContent.includes(WIDGET)).length;
  });
  // A widget output is drawn once its view is in its output area (a box's view comes only
  // after every widget inside it has arrived).
  const drawn = () =>
    widgetOutputs !== null &&
    document.querySelectorAll(".jp-OutputArea-output > .lm-Widget").length >= widgetOutputs;
  const changed = new Map(); // item element -> its title, changed since its last check

  window.addEventListener("beforeunload", () => {
    leaving = true;
  });

  // Watch the kernel's sockets. A subclass keeps every WebSocket behaviour as it is.
  const NativeWebSocket = window.WebSocket;
  class WatchedWebSocket extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      if (KERNEL_SOCKET.test(String(url))) {
        this.addEventListener("close", () => {
          if (leaving || waiting) {
            return;
          }
          if (!drawn()) {
            // No widget to ask yet: the page is fine if it finishes drawing.
            interrupted = true;
            waiting = setTimeout(() => (drawn() ? (waiting = null) : show()), 2 * ANSWER_MS);
            return;
          }
          waiting = setTimeout(show, ANSWER_MS);
          window.dispatchEvent(new CustomEvent("allcourse-connection-check"));
        });
      }
    }
  }
  window.WebSocket = WatchedWebSocket;

  // What the student changed and has not checked yet is only on screen, not saved.
  const itemOf = (node) => (node && node.closest ? node.closest(".allcourse-item") : null);
  const titleOf = (item) => {
    const title = item.querySelector(".allcourse-item-title");
    return (title && title.textContent.trim()) || "a question on this page";
  };
  const markChanged = (event) => {
    const item = itemOf(event.target);
    if (item && !shown) {
      changed.set(item, titleOf(item));
    }
  };
  document.addEventListener("input", markChanged, true);
  document.addEventListener("change", markChanged, true);
  document.addEventListener(
    "click",
    (event) => {
      const button = event.target.closest ? event.target.closest("button") : null;
      const item = itemOf(button);
      if (item && !shown && /^(Check|Submit)/i.test(button.textContent.trim())) {
        changed.delete(item);
      }
    },
    true,
  );

  function show() {
    waiting = null;
    if (shown || leaving) {
      return;
    }
    shown = true;
    const box = document.createElement("div");
    box.className = "allcourse-connection-lost";
    box.setAttribute("role", "alert");
    const heading = document.createElement("p");
    heading.innerHTML = "<strong>This page has lost its connection to the course.</strong>";
    const why = document.createElement("p");
    why.textContent =
      (interrupted && !drawn()
        ? "The connection dropped while the page was loading, so parts of it are missing. "
        : "The course server restarted, or this page was left open too long. ") +
      "Your checked answers are saved in this browser. Reload the page to carry on; new " +
      "answers on this page cannot be checked or saved until you do.";
    box.append(heading, why);
    const titles = [...new Set(changed.values())];
    if (titles.length) {
      const lost = document.createElement("p");
      lost.className = "allcourse-connection-unsaved";
      lost.textContent =
        `Not saved: what you changed after your last check in ${titles.join(", ")}. ` +
        "Enter it again after reloading.";
      box.append(lost);
    }
    const reload = document.createElement("button");
    reload.type = "button";
    reload.className = "allcourse-reload";
    reload.textContent = "Reload the page";
    reload.addEventListener("click", () => window.location.reload());
    box.append(reload);
    const main = document.getElementById("main-content") || document.body;
    main.prepend(box);
    reload.focus();
  }
  window.addEventListener("allcourse-connection-ok", () => {
    clearTimeout(waiting);
    waiting = null;
  });
})();
