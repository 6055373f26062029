/* Glossary filter, term previews, the search page's glossary box, and the search box's loader.
 *
 * Data, written by the glossary extension at build time: on the search page
 * window.GLOSSARY_INDEX (the same records as glossary.json); on a page with
 * term links window.GLOSSARY_PREVIEWS, the entries it links; on the glossary
 * page, each definition's plain text and category as data attributes.  Nothing
 * is fetched: the pages work from file:// and never contact another host.
 * The filter's form is written by the build; without JavaScript it is hidden
 * (glossary.css) and the glossary simply shows every entry.  The matching
 * rules are glossary/search.py's, tested on the same cases (search-cases.json).
 */
"use strict";

(() => {
  /** Typos forgiven in a word of a name: one from five letters, two from nine (glossary/search.py). */
  const FUZZY_MIN_LENGTH = 5;
  const TWO_EDITS_MIN_LENGTH = 9;
  /** From this many entries on, only the entries near the screen are rendered (see glossary.css),
   * and only those are written at once by the filter (the others when the page is idle). */
  const LARGE_GLOSSARY = 1000;
  const ADDRESS_DELAY_MS = 300;
  /** In a large glossary: about the least height an entry takes (how many fill the screen), */
  const MIN_ENTRY_HEIGHT_PX = 100;
  /** and how long the entries far from the screen may wait for an idle moment. */
  const IDLE_TIMEOUT_MS = 500;
  /** Entries written in one idle moment (Chromium: some microseconds of the next frame each). */
  const IDLE_BATCH = 64;
  const records = () => window.GLOSSARY_INDEX || [];
  const root = () => document.documentElement.dataset.content_root || "";

  /* -- The rules, as in glossary/search.py (tests/data/search-cases.json) -- */

  /* Unicode case folding where it differs from lowercasing ("ß" -> "ss", Cherokee,
   * the Greek iota subscript after decomposition): Python's str.casefold.  A
   * browser test checks fold() against Python's fold on every character. */
  const CASEFOLD = { "ß": "ss", "ς": "σ", "\u0345": "ι", "ᲀ": "в", "ᲁ": "д", "ᲂ": "о", "ᲃ": "с",
                     "ᲄ": "т", "ᲅ": "т", "ᲆ": "ъ", "ᲇ": "ѣ", "ᲈ": "ꙋ" };
  const FOLDED = /[ßς\u0345\u1c80-\u1c88\u13f8-\u13fd\uab70-\uabbf]/g;
  const foldChar = (c) => CASEFOLD[c] ||
    String.fromCharCode(c.charCodeAt(0) - (c <= "\u13fd" ? 8 : 0xab70 - 0x13a0));
  /** Python's str.isspace() characters, which str.split() splits on (JavaScript's \s differs). */
  const SPACE = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

  /** NFKC, case folding, NFKC, one space between words: glossary.loader.fold. */
  function fold(text) {
    const lowered = text.normalize("NFKC").toLowerCase().normalize("NFD");
    const folded = lowered.replace(FOLDED, foldChar).normalize("NFKC");
    return folded.split(SPACE).filter(Boolean).join(" ");
  }

  const allowedEdits = (letters) => letters >= TWO_EDITS_MIN_LENGTH ? 2 : letters >= FUZZY_MIN_LENGTH ? 1 : 0;

  /** True if b is a with at most `limit` letters wrong, missing, extra or swapped (by code
   * point): the optimal string alignment distance in a band, as glossary.search.within_edits. */
  function withinEdits(a, b, limit) {
    if (a === b) return true;
    [a, b] = [Array.from(a), Array.from(b)];
    if (Math.abs(a.length - b.length) > limit) return false;
    let before = [];
    let previous = [];
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      [before, previous, row] = [previous, row, new Array(b.length + 1).fill(limit + 1)];
      row[0] = i;
      let least = row[0];
      for (let j = Math.max(1, i - limit); j <= Math.min(b.length, i + limit); j++) {
        row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          row[j] = Math.min(row[j], before[j - 2] + 1);
        }
        least = Math.min(least, row[j]);
      }
      if (least > limit) return false;
    }
    return row[b.length] <= limit;
  }

  const length = (text) => Array.from(text).length;

  /** Whether a folded query is a folded name typed with the typos its words forgive, word
   * by word (glossary.search.near). */
  function near(name, query) {
    const parts = name.split(" ");
    const words = query.split(" ");
    return parts.length === words.length &&
      parts.every((part, i) => withinEdits(words[i], part, allowedEdits(length(part))));
  }

  /** How well folded names and definition match a folded query: 0 best, -1 not at all. */
  function rank(names, definition, query, words = query.split(" ")) {
    if (names[0] === query) return 0;
    if (names.slice(1).includes(query)) return 1;
    if (names.some((name) => near(name, query))) return 2;
    if (names.some((name) => name.includes(query))) return 3;
    if (words.every((word) => definition.includes(word))) return 4;
    return -1;
  }

  /** Whether rank(names, definition, query, words) >= 0, for the glossary page's filter.
   *
   * The same rules, tried cheapest first and without allocating (thousands of
   * entries a keystroke, and every garbage collection traces the whole page):
   * a name containing the query covers ranks 0, 1 and 3; the near-match test
   * runs only on names whose length (code points, in lengths) is within two
   * edits a word of the query's, which near() would otherwise reject after
   * copying both. */
  function matches(names, lengths, definition, query, words, queryLength) {
    for (const name of names) if (name.includes(query)) return true;
    let every = true;
    for (const word of words) if (!definition.includes(word)) { every = false; break; }
    if (every) return true;
    for (let i = 0; i < names.length; i++) {
      if (Math.abs(lengths[i] - queryLength) <= 2 * words.length && near(names[i], query)) return true;
    }
    return false;
  }

  /** Python's order of strings: by code point (JavaScript's < compares UTF-16 units). */
  function byCodePoint(a, b) {
    const [x, y] = [Array.from(a), Array.from(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) return x[i].codePointAt(0) - y[i].codePointAt(0);
    }
    return x.length - y.length;
  }

  /** Every record matching the query, best first: glossary.search.search. */
  function search(entries, text) {
    const query = fold(text);
    if (!query) return [];
    const words = query.split(" ");
    const found = [];
    for (const entry of entries) {
      const names = [entry.term, ...entry.aliases].map(fold);
      const found_rank = rank(names, fold(entry.definition), query, words);
      if (found_rank >= 0) found.push({ entry, rank: found_rank, key: names[0] });
    }
    found.sort((a, b) => a.rank - b.rank || byCodePoint(a.key, b.key));
    return found;
  }
  function element(tag, attributes = {}, text = "") {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (text) node.textContent = text;
    return node;
  }

  // For tests and for other scripts of a site (glossary-search.js): the same rules,
  // callable, and the one way the glossary's scripts make an element.
  window.glossarySearch = { fold, search, rank, near, withinEdits, allowedEdits, element };

  /* -- The filter on the glossary page ------------------------------------ */
  function setupFilter() {
    // The form is in the page (the build writes it); this only wires it up.
    const form = document.querySelector("form.glossary-filter");
    const groups = [...document.querySelectorAll(".glossary-letter")];
    if (!form || !groups.length) return;
    const lists = document.querySelectorAll("dl.glossary-entry");
    // The entries the browser renders (content-visibility: auto), as it reports
    // them: kept from the start, before the index exists, since it reports only
    // changes of state.
    const rendered = new Set();
    // What the command line matches: the names and the plain definition, which the
    // build puts on each definition (the page's own text has curly quotes and MathML).
    // Read from the page when first needed (see the end of this function).
    let entries = null;
    function index() {
      entries ||= [...lists].map((dl) => {
        const definition = dl.querySelector(":scope > dd > .glossary-definition");
        const names = [...dl.querySelectorAll(":scope > dt")].map((dt) => fold(dt.firstChild.textContent));
        return {
          dl,
          group: groups.indexOf(dl.closest(".glossary-letter")),
          category: definition.dataset.category,
          names,
          lengths: names.map(length),
          definition: fold(definition.dataset.searchText),
          visible: !dl.hidden,  // what the filter wants
          written: !dl.hidden,  // what the page has
        };
      });
      return entries;
    }
    // window.GLOSSARY_LARGE_FROM: a lower threshold, for tests of the large glossary's code.
    const large = lists.length > (window.GLOSSARY_LARGE_FROM || LARGE_GLOSSARY);
    if (large) document.documentElement.classList.add("glossary-large");
    // In a large glossary a keystroke can change thousands of entries, and the
    // browser's own work per changed entry (style, intersection, layout: some
    // microseconds each) misses the frame.  So only the entries near the screen
    // are written at once; the others, which no one sees, while the page is idle.
    // "Near" is what content-visibility: auto renders, which the browser reports.
    const lazy = large && "oncontentvisibilityautostatechange" in document.documentElement;
    const input = form.querySelector("#glossary-filter-input");
    const select = form.querySelector("#glossary-filter-category");
    const status = form.querySelector(".glossary-filter-status");
    const categories = [...select.options].map((option) => option.value);
    const jumpLinks = [...document.querySelectorAll(".glossary-jump-bar a")].map((link) => ({
      link, group: groups.indexOf(document.getElementById(link.hash.slice(1))),
    }));
    const shownIn = new Int32Array(groups.length);

    const params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    select.value = categories.includes(params.get("category")) ? params.get("category") : "";

    // Writing the address costs more than filtering thousands of entries
    // (Chromium: 10-40 ms a call), so it waits until the typing pauses.
    let addressTimer = 0;
    function keepInAddress(query, category) {
      const url = new URL(location.href);
      for (const [key, value] of [["q", query], ["category", category]]) {
        if (value) url.searchParams.set(key, value); else url.searchParams.delete(key);
      }
      history.replaceState(history.state, "", url);
    }

    const writeOne = (entry) => {
      if (entry.written === entry.visible) return false;
      entry.written = entry.visible;
      entry.dl.hidden = !entry.visible;
      return true;
    };
    let reported = false;
    if (lazy) {
      const position = new Map([...lists].map((dl, at) => [dl, at]));
      document.addEventListener("contentvisibilityautostatechange", (event) => {
        const at = position.get(event.target);
        if (at === undefined) return;  // a letter group
        reported = true;
        if (event.skipped) {
          rendered.delete(event.target);
        } else {
          rendered.add(event.target);
          // Scrolled to before its idle turn: written now (the event comes after
          // the frame that brought it near, which painted it at most off screen).
          if (entries) writeOne(entries[at]);
        }
      }, true);
    }

    /** Write the filter's state into the page: all at once, or near the screen first. */
    function write() {
      // A hidden entry is never rendered, whatever the browser last reported.
      const first = entries.findIndex((entry) => entry.written && rendered.has(entry.dl));
      if (!lazy || !reported || first < 0) {
        for (const entry of entries) writeOne(entry);
        return;
      }
      // The rendered entries, and from the first of them on (or from the hidden
      // entries just before it, which take no room and so stand where it does)
      // enough of the entries shown to fill a screen and a half once the entries
      // between them hide: they then move up into the screen in this same frame.
      let start = first;
      while (start > 0 && !entries[start - 1].written) start--;
      const wanted = Math.ceil(1.5 * window.innerHeight / MIN_ENTRY_HEIGHT_PX);
      let ahead = 0;
      let pending = false;
      for (let at = 0; at < entries.length; at++) {
        const entry = entries[at];
        if (rendered.has(entry.dl) || (at >= start && ahead < wanted)) {
          writeOne(entry);
          if (at >= start && entry.visible) ahead++;
        } else if (entry.written !== entry.visible) {
          pending = true;
        }
      }
      if (pending) scheduleIdle();
    }
    let idleHandle = 0;
    const idle = window.requestIdleCallback ||
      ((callback) => setTimeout(callback, 1, { timeRemaining: () => 4 }));
    function scheduleIdle() {
      if (!idleHandle) idleHandle = idle(writeWhileIdle, { timeout: IDLE_TIMEOUT_MS });
    }
    /** The entries not written yet, a few at a time between frames: what the
     * browser then does for them is paid in the next frame, which must stay short. */
    function writeWhileIdle(deadline) {
      idleHandle = 0;
      let done = 0;
      for (const entry of entries) {
        if (!writeOne(entry)) continue;
        if (++done === IDLE_BATCH || deadline.timeRemaining() < 1) {
          scheduleIdle();
          return;
        }
      }
    }

    function apply() {
      const entries = index();
      const query = fold(input.value);
      const words = query.split(" ");
      const queryLength = length(query);
      const category = select.value;
      shownIn.fill(0);
      let shown = 0;
      // Only entries whose state changes are written to (the state is kept here,
      // so the loop reads nothing from the DOM): the browser restyles no other.
      for (const entry of entries) {
        const visible = (!category || entry.category === category) &&
          (!query || matches(entry.names, entry.lengths, entry.definition, query, words, queryLength));
        entry.visible = visible;
        if (visible) {
          shown++;
          shownIn[entry.group]++;
        }
      }
      write();
      groups.forEach((group, index) => {
        const empty = shownIn[index] === 0;
        if (group.hidden !== empty) group.hidden = empty;
      });
      for (const { link, group } of jumpLinks) {
        link.classList.toggle("glossary-jump-empty", group < 0 || shownIn[group] === 0);
      }
      const text = shown
        ? `${shown} of ${entries.length} entries`
        : `No entry matches “${input.value.trim()}”${category ? ` in ${category}` : ""}.`;
      if (status.textContent !== text) status.textContent = text;
      clearTimeout(addressTimer);
      addressTimer = setTimeout(keepInAddress, ADDRESS_DELAY_MS, input.value.trim(), category);
    }
    input.addEventListener("input", apply);
    select.addEventListener("change", apply);
    form.addEventListener("submit", (event) => event.preventDefault());  // it filters as one types
    // The build wrote the page unfiltered, its count included.  With nothing to
    // filter by, the entries are read when the reader reaches the form or the page
    // is idle, not in the page's load (~10 ms here, a long task on a phone's CPU).
    if (input.value || select.value) {
      apply();
    } else {
      form.addEventListener("focusin", index, { once: true });
      idle(index, { timeout: IDLE_TIMEOUT_MS });
    }
  }

  /* -- Previews of term links, on every page ------------------------------ */
  function setupPreviews() {
    // Only the entries this page links: {anchor: {term, summary}}, inline in the page.
    const byAnchor = new Map(Object.entries(window.GLOSSARY_PREVIEWS || {}));
    // The search page has every record: the term links in its glossary box preview too.
    for (const record of records()) {
      for (const anchor of record.anchors) byAnchor.set(anchor, { term: record.term, summary: record.summary });
    }
    if (!byAnchor.size) return;
    const tip = element("div", { id: "glossary-preview", class: "glossary-preview", role: "tooltip" });
    tip.hidden = true;
    // Inside the main landmark: content outside every landmark is lost to
    // screen-reader navigation by regions (axe "region").
    (document.querySelector("[role=main], main") || document.body).append(tip);
    let current = null;

    function hide() {
      if (current) current.removeAttribute("aria-describedby");
      current = null;
      tip.hidden = true;
    }
    function show(link, record) {
      if (current === link) return;
      hide();
      tip.replaceChildren(element("strong", {}, record.term), document.createTextNode(" " + record.summary));
      tip.hidden = false;
      const box = link.getBoundingClientRect();
      const width = Math.min(360, document.documentElement.clientWidth - 16);
      tip.style.maxWidth = `${width}px`;
      const left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
      // Viewport coordinates, made relative to what the tip is positioned against.
      const parent = tip.offsetParent;
      const origin = parent && getComputedStyle(parent).position !== "static"
        ? parent.getBoundingClientRect() : { left: -window.scrollX, top: -window.scrollY };
      tip.style.left = `${left - origin.left}px`;
      tip.style.top = `${box.bottom - origin.top + 6}px`;
      link.setAttribute("aria-describedby", tip.id);
      current = link;
    }
    // One listener each for the whole page rather than four on every term link: the
    // glossary page has some 1,600 links, and wiring each took ~10 ms of its load
    // (four times that on Lighthouse's phone).  mouseover and focusin bubble, unlike
    // mouseenter and focus.
    for (const type of ["mouseover", "focusin"]) {
      document.addEventListener(type, (event) => {
        const link = event.target instanceof Element && event.target.closest("a.reference.internal");
        if (!link || !link.querySelector(".std-term")) return;
        const record = byAnchor.get(decodeURIComponent(link.hash.slice(1)));
        if (record) show(link, record);
      });
    }
    for (const type of ["mouseout", "focusout"]) {
      document.addEventListener(type, (event) => {
        // Out of the link shown, not only from one of its parts to another.
        if (current && current.contains(event.target) && !current.contains(event.relatedTarget)) hide();
      });
    }
    document.addEventListener("keydown", (event) => { if (event.key === "Escape") hide(); });
  }

  /* -- The glossary box above search results ------------------------------ */
  /** The definition as the build rendered it, its links made relative to this page. */
  function definitionOf(record) {
    const template = document.createElement("template");
    template.innerHTML = record.definition_html;
    for (const link of template.content.querySelectorAll("a[href]")) {
      const href = link.getAttribute("href");
      if (!/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(href)) link.setAttribute("href", root() + href);
    }
    return template.content;
  }

  function setupSearchBox() {
    const results = document.getElementById("search-results");
    const query = new URLSearchParams(location.search).get("q") || "";
    if (!results) return;
    const found = search(records(), query);
    if (!found.length) return;
    const best = found[0].entry;
    const box = element("aside", { class: "glossary-search-box", "aria-label": "Glossary entry" });
    const title = element("p", { class: "glossary-search-box-title" }, "Glossary: ");
    title.append(element("a", { href: root() + best.url }, best.term));
    const definition = element("div", { class: "glossary-search-box-definition" });
    definition.append(definitionOf(best));
    box.append(title, definition);
    if (found.length > 1) {
      // The glossary page's filter shows the same entries for the same query.
      const page = best.url.split("#")[0];
      const more = element("p", { class: "glossary-search-box-more" });
      const link = element("a", { href: `${root()}${page}?q=${encodeURIComponent(query.trim())}` },
                           `All ${found.length} matching entries`);
      more.append(link);
      box.append(more);
    }
    results.before(box);
  }

  /* -- Search as you type: the box is wired here, its engine loads on first focus -- */
  // glossary-search.js, MiniSearch and the index (some 100 KB on a large glossary) are
  // for readers who search: pages stay light.  Scripts, not fetch(), so that it works
  // from file://; async = false runs them in order.
  const SEARCH_SCRIPTS = ["minisearch.min.js", "search-index.js", "glossary-search.js"];
  let loading = null;
  function loadSearch() {
    loading ||= new Promise((resolve, reject) => {
      // Sphinx's stemmer; the search page has it already (it declares globals: once only).
      const names = [...(typeof window.Stemmer === "function" ? [] : ["language_data.js"]), ...SEARCH_SCRIPTS];
      let script = null;
      for (const name of names) {
        script = element("script", { src: `${root()}_static/${name}` });
        script.async = false;
        document.head.append(script);
      }
      script.addEventListener("load", () => resolve(window.glossarySiteSearch));
      script.addEventListener("error", reject);
    });
    return loading;
  }
  // For tests and the benchmark.
  window.glossarySearch.load = loadSearch;

  /** The search box, as the ARIA combobox pattern has it, with its (empty) listbox. */
  function setupSearchAsYouType() {
    // The theme's search box: a form sent to the search page (on that page furo's is
    // sent to "#"), or the box of furo's sidebar or of Sphinx's basic theme.
    const input = document.querySelector([
      'form[action$="search.html"]', 'form[action$="search/"]', "form.sidebar-search-container", "#searchbox form",
    ].map((form) => `${form} input[name=q]`).join(", "));
    if (!input) return;
    const listbox = element("div", {
      id: "glossary-search-results", role: "listbox", class: "glossary-search-results",
      "aria-label": "Search results",
    });
    listbox.hidden = true;
    input.after(listbox);
    for (const [key, value] of Object.entries({
      role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
      "aria-controls": listbox.id, autocomplete: "off", spellcheck: "false",
    })) input.setAttribute(key, value);
    input.addEventListener("focus", () => {
      loadSearch().then((engine) => engine.attach(input, listbox));
    }, { once: true });
    // "/" (outside a text field) and Ctrl+K or Cmd+K focus the box, as on other documentation
    // sites; in the capture phase, before Sphinx's own "/" (which would do the same).
    window.addEventListener("keydown", (event) => {
      const target = event.target;
      const typing = target instanceof Element &&
        (target.closest("input, textarea, select, [contenteditable]") !== null);
      const slash = event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey;
      const k = event.key.toLowerCase() === "k" && (event.ctrlKey || event.metaKey) && !event.altKey;
      if (!slash && !k) return;
      event.preventDefault();
      event.stopPropagation();
      // On a phone the box is in furo's navigation drawer: open it first.
      const drawer = document.getElementById("__navigation");
      const box = input.getBoundingClientRect();
      if (drawer && (box.right <= 0 || box.left >= window.innerWidth || !input.checkVisibility())) {
        drawer.checked = true;
      }
      input.focus();
      input.select();
    }, true);
  }

  /** The search page: the same results as the box, in the same order, from the same engine.
   * Sphinx's searchtools.js (loaded before this script on that page) asks its
   * Search.performSearch to show a query; this shows ours instead. */
  function setupSearchPage() {
    if (typeof Search !== "object" || !document.getElementById("search-results")) return;
    Search.performSearch = (query) => {
      const out = document.getElementById("search-results");
      loadSearch().then((engine) => engine.renderPage(query, out));
    };
  }
  setupSearchPage();

  function start() {
    setupSearchAsYouType();
    setupFilter();
    setupSearchBox();  // before the previews, which then cover the box's term links
    setupPreviews();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
