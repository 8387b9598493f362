// anywidget (0.11) gives each custom widget 2 s, counted from when the page creates its
// model, to load its script; after that the widget never draws and the console says
// "[anywidget] Failed to initialize model.". A course page creates hundreds of widget
// models at once, and a slow phone, or a machine busy with something else (seen once in
// CI: every custom widget of a page timed out), can take longer than that. The limit is not
// configurable, so the course lengthens that one timeout (AbortSignal.timeout(2000), as
// anywidget calls it) to 60 s; every other timeout is left alone.
(function () {
  "use strict";
  const timeout = AbortSignal.timeout.bind(AbortSignal);
  AbortSignal.timeout = (ms) => timeout(ms === 2000 ? 60000 : ms);
})();

// Voila's front end moves the rendered cells into a JupyterLab shell that it appends to
// <body>, outside the page's <main> landmark and after the footer. Put the shell back
// inside <main>, so landmarks, the skip link and the reading order stay right.
(function () {
  "use strict";
  const main = document.getElementById("main-content");
  const adopt = () => {
    const shell = document.querySelector("body > .jp-LabShell");
    if (main && shell) {
      main.appendChild(shell);
      return true;
    }
    return false;
  };
  if (!adopt()) {
    const observer = new MutationObserver(() => {
      if (adopt()) {
        observer.disconnect();
      }
    });
    observer.observe(document.body, { childList: true });
  }
})();
