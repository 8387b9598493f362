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
