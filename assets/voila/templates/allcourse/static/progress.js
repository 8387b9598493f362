// Marks completed modules in the navigation, on every page.
// Reads the progress the storage widget keeps in localStorage (key "allcourse-progress";
// its "summary.completed" lists finished module ids) and adds a check mark plus the
// words "(completed)" for screen readers to each finished module's link: not colour
// alone. Updates when this page saves (event "allcourse-progress") or another tab does.
(function () {
  "use strict";
  var KEY = "allcourse-progress";

  function completedModules(text) {
    try {
      var data = JSON.parse(text || "null");
      var done = data && data.summary && data.summary.completed;
      return Array.isArray(done) ? done.filter(function (id) { return typeof id === "string"; }) : [];
    } catch (err) {
      return []; // damaged data is the storage widget's business; the nav just shows nothing
    }
  }

  function savedText() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (err) {
      return null;
    }
  }

  function mark(text) {
    var done = completedModules(text);
    var links = document.querySelectorAll("a.allcourse-nav-link[data-module]");
    Array.prototype.forEach.call(links, function (link) {
      var finished = done.indexOf(link.getAttribute("data-module")) !== -1;
      var existing = link.querySelector(".allcourse-nav-done");
      link.classList.toggle("allcourse-nav-completed", finished);
      if (finished && !existing) {
        var marker = document.createElement("span");
        marker.className = "allcourse-nav-done";
        var icon = document.createElement("span");
        icon.setAttribute("aria-hidden", "true");
        icon.textContent = " ✔";
        var words = document.createElement("span");
        words.className = "allcourse-sr-only";
        words.textContent = " (completed)";
        marker.appendChild(icon);
        marker.appendChild(words);
        link.appendChild(marker);
      } else if (!finished && existing) {
        existing.remove();
      }
    });
  }

  mark(savedText());
  window.addEventListener("allcourse-progress", function (event) { mark(event.detail); });
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) { mark(event.newValue); }
  });
})();
