/* ReliefCRM: small progressive enhancements for the server-rendered pages.
   No dependencies. Loaded with `defer`, so the DOM is parsed when this runs.
   Everything here is optional: every page works without it. */
(function () {
  "use strict";

  var root = document.documentElement;
  var THEMES = ["system", "light", "dark"];
  var THEME_LABELS = { system: "system", light: "light", dark: "dark" };
  var STORAGE_KEY = "relief-theme";

  function $(selector, scope) { return (scope || document).querySelector(selector); }
  function $all(selector, scope) { return Array.prototype.slice.call((scope || document).querySelectorAll(selector)); }

  function csrfToken() {
    var meta = $('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") || "" : "";
  }

  function signedIn() { return !!$("[data-user-menu]"); }

  function storageGet() {
    try { return window.localStorage.getItem(STORAGE_KEY); } catch (e) { return null; }
  }
  function storageSet(value) {
    try { window.localStorage.setItem(STORAGE_KEY, value); } catch (e) { /* private mode */ }
  }

  /* A polite live region for short confirmations ("Copied"). */
  var announcer = null;
  function announce(message) {
    if (!announcer) {
      announcer = document.createElement("div");
      announcer.className = "visually-hidden";
      announcer.setAttribute("role", "status");
      announcer.setAttribute("aria-live", "polite");
      document.body.appendChild(announcer);
    }
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = message; }, 50);
  }

  /* ------------------------------------------------------------ theme */

  function currentTheme() {
    var t = root.getAttribute("data-theme");
    return THEMES.indexOf(t) >= 0 ? t : "system";
  }

  function applyTheme(theme) {
    root.setAttribute("data-theme", theme);
    var button = document.getElementById("theme-toggle");
    if (button) {
      var next = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
      var label = "Theme: " + THEME_LABELS[theme] + " (switch to " + THEME_LABELS[next] + ")";
      button.setAttribute("aria-label", label);
      button.setAttribute("title", label);
    }
  }

  function saveThemeOnServer(theme) {
    if (!signedIn() || !window.fetch) { return; }
    var token = csrfToken();
    var body = "theme=" + encodeURIComponent(theme) + "&_csrf=" + encodeURIComponent(token);
    try {
      window.fetch("/app/account/theme", {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-CSRF-Token": token
        },
        body: body
      }).catch(function () { /* the local choice still applies */ });
    } catch (e) { /* ignore */ }
  }

  function initTheme() {
    var serverTheme = currentTheme();
    var stored = storageGet();
    if (serverTheme === "system" && stored && THEMES.indexOf(stored) >= 0) {
      // No server-side choice: use the one remembered in this browser.
      applyTheme(stored);
    } else {
      applyTheme(serverTheme);
      // Remember a signed-in user's explicit choice for the public pages (sign-in, errors).
      if (signedIn() && serverTheme !== "system") { storageSet(serverTheme); }
    }

    var button = document.getElementById("theme-toggle");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var next = THEMES[(THEMES.indexOf(currentTheme()) + 1) % THEMES.length];
      applyTheme(next);
      storageSet(next);
      saveThemeOnServer(next);
      announce("Theme: " + THEME_LABELS[next]);
    });
  }

  /* ------------------------------------------------------------ navigation drawer */

  function initNav() {
    var toggle = $("[data-menu-toggle]");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) { return; }
    var backdrop = $("[data-nav-backdrop]");
    var wide = window.matchMedia ? window.matchMedia("(min-width: 900px)") : null;

    function isOpen() { return toggle.getAttribute("aria-expanded") === "true"; }

    function setOpen(open, returnFocus) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
      document.body.classList.toggle("nav-open", open);
      if (open) {
        var target = $('[aria-current="page"]', nav) || $("a", nav);
        if (target) { window.setTimeout(function () { target.focus(); }, 30); }
      } else if (returnFocus) {
        toggle.focus();
      }
    }

    toggle.addEventListener("click", function () { setOpen(!isOpen(), false); });
    if (backdrop) { backdrop.addEventListener("click", function () { setOpen(false, true); }); }
    nav.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("a") && isOpen()) { setOpen(false, false); }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen()) {
        event.preventDefault();
        setOpen(false, true);
      }
    });
    if (wide) {
      var onChange = function () { if (wide.matches && isOpen()) { setOpen(false, false); } };
      if (wide.addEventListener) { wide.addEventListener("change", onChange); }
      else if (wide.addListener) { wide.addListener(onChange); }
    }
  }

  /* ------------------------------------------------------------ user menu (<details>) */

  function initUserMenu() {
    var menu = $("[data-user-menu]");
    if (!menu) { return; }
    var summary = $("summary", menu);
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) { menu.open = false; }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        if (summary) { summary.focus(); }
      }
    });
  }

  /* ------------------------------------------------------------ flash messages */

  function initFlashes() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-flash-dismiss]");
      if (!button) { return; }
      var flash = button.closest("[data-flash]");
      if (!flash) { return; }
      var container = flash.parentNode;
      flash.parentNode.removeChild(flash);
      if (container && container.classList.contains("flashes") && !$("[data-flash]", container)) {
        container.parentNode.removeChild(container);
      }
      var main = document.getElementById("main");
      if (main) { main.focus(); }
    });
  }

  /* ------------------------------------------------------------ confirmations */

  function initConfirm() {
    // Buttons and links: the click comes first (Enter in a field also "clicks" the default button).
    document.addEventListener("click", function (event) {
      var el = event.target.closest && event.target.closest("button[data-confirm], input[data-confirm], a[data-confirm]");
      if (!el || el.disabled) { return; }
      if (!window.confirm(el.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }, true);
    // Whole forms.
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form || !form.hasAttribute || !form.hasAttribute("data-confirm")) { return; }
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  }

  /* ------------------------------------------------------------ print, copy, secret groups */

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function textOf(element) {
    var items = $all("li", element);
    if (items.length) {
      return items.map(function (li) { return li.textContent.trim(); }).join("\n");
    }
    return (element.getAttribute("data-copy-value") || element.textContent).replace(/\s+/g, " ").trim();
  }

  function initCopyAndPrint() {
    document.addEventListener("click", function (event) {
      var target = event.target.closest ? event.target : null;
      if (!target) { return; }

      var printButton = target.closest("[data-print]");
      if (printButton) { window.print(); return; }

      var copyButton = target.closest("[data-copy], [data-copy-target]");
      if (!copyButton) { return; }
      var text = copyButton.getAttribute("data-copy");
      if (text === null) {
        var source = document.getElementById(copyButton.getAttribute("data-copy-target"));
        if (!source) { return; }
        text = textOf(source);
      }
      copyText(text).then(function () {
        var original = copyButton.getAttribute("data-label") || copyButton.innerHTML;
        copyButton.setAttribute("data-label", original);
        copyButton.textContent = "Copied";
        announce("Copied to the clipboard");
        window.setTimeout(function () { copyButton.innerHTML = original; }, 2000);
      }, function () {
        announce("Could not copy. Select the text and copy it by hand.");
      });
    });
  }

  // Show long secrets in groups (ABCD EFGH ...) without changing what gets copied.
  function initSecretGroups() {
    $all("[data-group]").forEach(function (el) {
      var size = parseInt(el.getAttribute("data-group"), 10) || 4;
      var raw = el.textContent.replace(/\s+/g, "");
      if (!raw) { return; }
      el.setAttribute("data-copy-value", raw);
      el.textContent = "";
      for (var i = 0; i < raw.length; i += size) {
        var span = document.createElement("span");
        span.className = "secret-group";
        span.textContent = raw.slice(i, i + size);
        el.appendChild(span);
      }
    });
  }

  /* ------------------------------------------------------------ keyboard shortcuts */

  function isTyping(target) {
    if (!target) { return false; }
    if (target.isContentEditable) { return true; }
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function initShortcuts() {
    var pendingG = 0;
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (isTyping(event.target)) { return; }

      if (event.key === "/") {
        var search = $('input[type="search"]');
        if (search) {
          event.preventDefault();
          search.focus();
          if (search.select) { search.select(); }
        }
        return;
      }

      if (event.key === "g") {
        pendingG = Date.now();
        return;
      }
      if (pendingG && Date.now() - pendingG < 1200) {
        pendingG = 0;
        if (event.key === "d" && signedIn()) {
          event.preventDefault();
          window.location.href = "/app";
        }
        return;
      }
      pendingG = 0;
    });
  }

  /* ------------------------------------------------------------ start */

  function start() {
    initTheme();
    initNav();
    initUserMenu();
    initFlashes();
    initConfirm();
    initSecretGroups();
    initCopyAndPrint();
    initShortcuts();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
