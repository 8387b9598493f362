// The course's one link to the browser's localStorage (see storage_widget.py).
// Sends the saved progress and the student's shuffle seed to the kernel when it renders,
// writes what the kernel sends, keeps damaged data aside under another key (never
// deleting it), forwards changes made by other tabs, and saves downloads as files.
// Nothing here talks to the network.

function storageOrNull() {
  try {
    const s = window.localStorage;
    const probe = "allcourse-probe";
    s.setItem(probe, "1");
    s.removeItem(probe);
    return s;
  } catch (err) {
    return null; // blocked (privacy settings) or unavailable
  }
}

function validSeed(n) {
  return Number.isInteger(n) && n > 0 && n <= 2147483646;
}

function cookieSeed(cookie) {
  const found = document.cookie.match(new RegExp("(?:^|;\\s*)" + cookie + "=(\\d{1,10})(?:;|$)"));
  return found ? parseInt(found[1], 10) : NaN;
}

function seedFrom(storage, seedKey, cookie) {
  // localStorage keeps the seed; the server's first-visit cookie starts it.
  let seed = storage ? parseInt(storage.getItem(seedKey) || "", 10) : NaN;
  if (!validSeed(seed)) {
    seed = cookieSeed(cookie);
    if (!validSeed(seed)) {
      const random = new Uint32Array(1);
      window.crypto.getRandomValues(random);
      seed = (random[0] % 2147483646) + 1;
    }
    if (storage) {
      try {
        storage.setItem(seedKey, String(seed));
      } catch (err) {
        // The seed then lasts for this page only; shuffles still work.
      }
    }
  }
  // The cookie goes with the next page request: that page's kernel shuffles with this
  // seed from the start instead of reordering options once the page is drawn.
  document.cookie = `${cookie}=${seed}; path=/; max-age=31536000; SameSite=Lax`;
  return seed;
}

function saveFile({ filename, mime, content }) {
  const blob = new Blob([content], { type: mime });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function render({ model, el }) {
  const key = model.get("key");
  const storage = storageOrNull();
  const notice = document.createElement("div");
  notice.className = "allcourse-storage-notice";
  el.classList.add("allcourse-storage");
  el.appendChild(notice);

  const showNotice = () => {
    const text = model.get("notice");
    notice.hidden = !text;
    if (text) {
      notice.setAttribute("role", "alert");
    } else {
      notice.removeAttribute("role");
    }
    notice.textContent = text;
  };
  showNotice();
  model.on("change:notice", showNotice);

  // The kernel may already be gone (the student is leaving, or an idle kernel was culled):
  // the browser's copy is what matters then, so a lost message must not become an error.
  const send = (content) => {
    try {
      model.send(content);
    } catch (err) {
      // nothing to tell a kernel that is not there
    }
  };

  const announce = (value) => {
    // progress.js (the navigation marks) listens for this on the same page.
    window.dispatchEvent(new CustomEvent("allcourse-progress", { detail: value }));
  };

  const write = (value) => {
    try {
      storage.setItem(key, value);
      announce(value);
    } catch (err) {
      send({ type: "write_failed", reason: String(err && err.name) });
    }
  };

  const setAside = (value, slot) => {
    let name = `${key}.${slot}`;
    if (slot === "damaged") {
      let n = 1;
      while (storage.getItem(`${name}.${n}`) !== null) {
        n += 1;
      }
      name = `${name}.${n}`;
    }
    try {
      storage.setItem(name, value);
      send({ type: "set_aside_done", key: name, slot });
    } catch (err) {
      send({ type: "set_aside_failed", slot, reason: String(err && err.name) });
    }
  };

  // connection.js asks after the kernel's socket closed: is the kernel that drew this page
  // still there? Only that kernel knows this widget, so only it answers.
  let pings = 0;
  const ping = () => {
    pings += 1;
    send({ type: "ping", n: pings });
  };
  window.addEventListener("allcourse-connection-check", ping);

  model.on("msg:custom", (msg) => {
    if (msg.type === "pong") {
      window.dispatchEvent(new CustomEvent("allcourse-connection-ok"));
    } else if (msg.type === "download") {
      saveFile(msg);
    } else if (!storage) {
      return;
    } else if (msg.type === "write") {
      write(msg.value);
    } else if (msg.type === "set_aside") {
      setAside(msg.value, msg.slot);
    }
  });

  const onStorage = (event) => {
    // key null: another tab cleared all of this site's storage.
    if ((event.key === key || event.key === null) && event.storageArea === storage) {
      send({ type: "external", value: event.newValue });
      announce(event.newValue);
    }
  };
  window.addEventListener("storage", onStorage);

  send({
    type: "loaded",
    available: storage !== null,
    saved: storage ? storage.getItem(key) : null,
    seed: seedFrom(storage, model.get("seed_key"), model.get("seed_cookie")),
  });

  return () => {
    window.removeEventListener("storage", onStorage);
    window.removeEventListener("allcourse-connection-check", ping);
  };
}

export default { render };
