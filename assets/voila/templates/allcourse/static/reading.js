/* Reading and keyboard help on every course page (no data, no keys: only the page).

   - Radio buttons of one question form one labelled group: one Tab reaches the group,
     the arrow keys move the choice (ipywidgets draws radios without a shared name).
   - Citations in the prose, written as [[id](#ref-id)] in the notebooks, show the
     number of the source in this page's numbered list ("[3]").
   - A table wider than the screen scrolls in its own box, with a cue saying so.

   Widgets draw themselves after the page loads and redraw when the kernel changes them,
   so the work is done again (cheaply, only where needed) whenever the page changes. */
(function () {
  "use strict";
  let uid = 0;
  const nextId = (prefix) => `${prefix}-${++uid}`;
  const idOf = (el, prefix) => el.id || (el.id = nextId(prefix));

  function groupRadios(root) {
    for (const box of root.querySelectorAll(".widget-radio-box")) {
      const inputs = box.querySelectorAll("input[type=radio]");
      if (!inputs.length) continue;
      if (!box.dataset.allcourseGroup) {
        box.dataset.allcourseGroup = nextId("allcourse-radios");
        box.setAttribute("role", "radiogroup");
        // The group is named by its question (or by its column in a bowtie).
        const card = box.closest(".allcourse-item");
        const part = box.closest(".allcourse-bowtie-part");
        const labels = [];
        const heading = part && part.querySelector("h5");
        if (heading) labels.push(idOf(heading, "allcourse-group-label"));
        else if (card) {
          const stem = card.querySelector(".allcourse-stem");
          if (stem) labels.push(idOf(stem, "allcourse-stem"));
        }
        if (labels.length) box.setAttribute("aria-labelledby", labels.join(" "));
        // Arrow keys check the next radio; make sure the widget hears it as a pick.
        box.addEventListener("change", (event) => {
          const input = event.target;
          if (input && input.type === "radio" && input.checked && !input.dataset.clicked) {
            input.dataset.clicked = "1";
            input.click();
            delete input.dataset.clicked;
          }
        });
        box.addEventListener("click", (event) => {
          if (event.target && event.target.type === "radio") event.target.dataset.clicked = "1";
          setTimeout(() => { if (event.target) delete event.target.dataset.clicked; }, 0);
        }, true);
      }
      for (const input of inputs) {
        if (input.name !== box.dataset.allcourseGroup) input.name = box.dataset.allcourseGroup;
      }
    }
  }

  function numberCitations(root) {
    const numbers = new Map();
    for (const li of document.querySelectorAll("ol.allcourse-references li[id^='ref-'][data-n]")) {
      if (!numbers.has(li.id)) numbers.set(li.id, li);
    }
    if (!numbers.size) return;
    for (const a of root.querySelectorAll("a[href^='#ref-']")) {
      if (a.closest(".allcourse-references")) continue;
      const li = numbers.get(a.getAttribute("href").slice(1));
      if (!li) continue;
      const n = li.dataset.n;
      if (a.textContent !== n) {
        a.textContent = n;
        a.classList.add("allcourse-cite-number");
        const cite = li.dataset.cite || "";
        a.setAttribute("aria-label", `Source ${n}${cite ? ": " + cite : ""}`);
        if (cite) a.title = cite;
      }
    }
  }

  let lastMeasure = 0;
  let measureLater = null;
  function scrollTables(root, force) {
    let added = false;
    for (const table of root.querySelectorAll("#rendered_cells table")) {
      if (table.closest(".allcourse-table-scroll, .allcourse-no-scroll-box")) continue;
      const box = document.createElement("div");
      box.className = "allcourse-table-scroll";
      const cue = document.createElement("p");
      cue.className = "allcourse-scroll-cue";
      cue.setAttribute("aria-hidden", "true");
      cue.textContent = "Scroll sideways to see the whole table →";
      table.parentNode.insertBefore(cue, table);
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
      added = true;
    }
    // Measuring widths forces a layout: only when a table is new, on resize, or now and
    // then while widgets are still drawing (not on every change of the page).
    const now = Date.now();
    if (!added && !force && now - lastMeasure < 1000) {
      if (!measureLater) {
        // Measure once more after the burst, so the last state is the one shown.
        measureLater = setTimeout(() => { measureLater = null; resized = true; schedule(); }, 1000);
      }
      return;
    }
    lastMeasure = now;
    for (const box of document.querySelectorAll(".allcourse-table-scroll")) {
      const wide = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("is-wide", wide);
      const cue = box.previousElementSibling;
      if (cue && cue.classList.contains("allcourse-scroll-cue")) cue.hidden = !wide;
      if (wide) {
        // A box that scrolls must be reachable by keyboard to scroll it.
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        const caption = box.querySelector("caption");
        box.setAttribute(
          "aria-label",
          (caption ? caption.textContent.trim() + ": " : "") + "table, scrolls sideways"
        );
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }

  function samePageLinks(root) {
    // JupyterLab opens every link of an output in a new tab; a link to a place on this
    // page (skip link, citation, source list) must move within the page.
    for (const a of root.querySelectorAll("a[href^='#'][target]")) {
      a.removeAttribute("target");
      a.removeAttribute("rel");
    }
  }

  // A link to a place on the page that is not drawn yet (the self-check arrives after
  // the text): go there, and put the keyboard there, once it is drawn.
  // Arriving with one (e.g. "Continue where you left off" links to #self-check) too.
  // Only while the keyboard is still where it was when the link was followed: a student
  // who has already moved on (Tab into the questions) must not be pulled back.
  let wanted = location.hash.length > 1 ? decodeURIComponent(location.hash.slice(1)) : null;
  let wantedFrom = document.activeElement;
  document.addEventListener("click", (event) => {
    const a = event.target && event.target.closest && event.target.closest("a[href^='#']");
    if (!a) return;
    const id = decodeURIComponent(a.getAttribute("href").slice(1));
    if (!id) return;
    const drawn = document.getElementById(id);
    if (drawn) {
      wanted = null; // nothing left to do later, when the student may have moved on
      goTo(drawn);
      return;
    }
    wanted = id;
    wantedFrom = document.activeElement;
    schedule();
  });
  function goTo(target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  }
  function goToWanted() {
    if (!wanted) return;
    const target = document.getElementById(wanted);
    if (!target) return;
    wanted = null;
    const active = document.activeElement;
    if (active === wantedFrom || active === document.body || active === null) goTo(target);
  }

  // Changes come in bursts while widgets draw: do the work once per burst.
  let timer = null;
  let resized = false;
  function run() {
    timer = null;
    goToWanted();
    samePageLinks(document);
    groupRadios(document);
    numberCitations(document);
    scrollTables(document, resized);
    resized = false;
  }
  function schedule() {
    if (timer === null) timer = setTimeout(run, 100);
  }
  new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  window.addEventListener("resize", () => { resized = true; schedule(); });
  schedule();
})();
