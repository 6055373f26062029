/* Glossary filter, term previews and the search page's glossary box.
 *
 * Data, written by the glossary extension at build time: on the search page
 * window.GLOSSARY_INDEX (the same records as glossary.json); on a page with
 * term links window.GLOSSARY_PREVIEWS, the entries it links.  Nothing is
 * fetched: the pages work from file:// and never contact another host.
 * Without JavaScript the glossary simply shows every entry.  The matching rules mirror
 * glossary/search.py: exact term, alias, one edit away (names of five letters
 * or more), name contains the query, definition contains every word.
 */
"use strict";

(() => {
  const FUZZY_MIN_LENGTH = 5;
  /** From this many entries on, only the entries near the screen are rendered (see glossary.css). */
  const LARGE_GLOSSARY = 1000;
  const ADDRESS_DELAY_MS = 300;
  const fold = (text) => text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  const records = () => window.GLOSSARY_INDEX || [];
  const root = () => document.documentElement.dataset.content_root || "";

  /** True if b is a with at most one letter wrong, missing, extra or swapped. */
  function withinOneEdit(a, b) {
    if (a === b) return true;
    if (Math.abs(a.length - b.length) > 1) return false;
    if (a.length === b.length) {
      const diffs = [];
      for (let i = 0; i < a.length && diffs.length < 3; i++) if (a[i] !== b[i]) diffs.push(i);
      if (diffs.length === 1) return true;
      const [i, j] = diffs;
      return diffs.length === 2 && j === i + 1 && a[i] === b[j] && a[j] === b[i];
    }
    const [short, long] = a.length < b.length ? [a, b] : [b, a];
    let i = 0;
    while (i < short.length && short[i] === long[i]) i++;
    return short.slice(i) === long.slice(i + 1);
  }

  /** How well names and definition match a folded query: 0 best, -1 no match. */
  function rank(names, definition, query, words = query.split(" ")) {
    if (!query) return 5;
    if (names[0] === query) return 0;
    if (names.includes(query)) return 1;
    // The name has five letters or more; the query may have one fewer ("moel" for "model").
    if (names.some((name) => name.length >= FUZZY_MIN_LENGTH && withinOneEdit(query, name))) return 2;
    if (names.some((name) => name.includes(query))) return 3;
    if (words.every((word) => definition.includes(word))) return 4;
    return -1;
  }

  function element(tag, attributes = {}, text = "") {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (text) node.textContent = text;
    return node;
  }

  /* -- The filter on the glossary page ------------------------------------ */
  function setupFilter() {
    const groups = [...document.querySelectorAll(".glossary-letter")];
    if (!groups.length) return;
    const categoryOf = (dl) =>
      ([...dl.classList].find((c) => c.startsWith("glossary-cat-")) || "").slice(13).replace(/-/g, " ");
    const entries = [...document.querySelectorAll("dl.glossary-entry")].map((dl) => ({
      dl,
      group: dl.closest(".glossary-letter"),
      category: categoryOf(dl),
      names: [...dl.querySelectorAll(":scope > dt")].map((dt) => fold(dt.firstChild.textContent)),
      definition: fold(dl.querySelector(":scope > dd").textContent),
    }));
    const categories = [...new Set(entries.map((e) => e.category))].sort();
    if (entries.length > LARGE_GLOSSARY) document.documentElement.classList.add("glossary-large");

    const box = element("div", { class: "glossary-filter", role: "search", "aria-label": "Glossary filter" });
    const input = element("input", { type: "search", id: "glossary-filter-input", autocomplete: "off",
                                      placeholder: "e.g. drift, F1, Docker" });
    const select = element("select", { id: "glossary-filter-category" });
    select.append(element("option", { value: "" }, "All categories"));
    for (const category of categories) select.append(element("option", { value: category }, category));
    const status = element("p", { class: "glossary-filter-status", role: "status", "aria-live": "polite" });
    const inputField = element("div", { class: "glossary-filter-field" });
    inputField.append(element("label", { for: input.id }, "Filter terms"), input);
    const selectField = element("div", { class: "glossary-filter-field" });
    selectField.append(element("label", { for: select.id }, "Category"), select);
    box.append(inputField, selectField, status);
    const slot = document.querySelector(".glossary-filter-slot");
    if (slot) slot.append(box);
    else (document.querySelector(".glossary-jump-bar") || groups[0]).before(box);
    const jumpLinks = [...document.querySelectorAll(".glossary-jump-bar a")];

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

    function apply() {
      const query = fold(input.value);
      const words = query.split(" ");
      const category = select.value;
      const shownIn = new Map(groups.map((group) => [group, 0]));
      let shown = 0;
      // Only entries whose state changes are touched: the browser restyles no other.
      for (const entry of entries) {
        const visible = (!category || entry.category === category) &&
                        rank(entry.names, entry.definition, query, words) >= 0;
        if (entry.dl.hidden === visible) entry.dl.hidden = !visible;
        if (visible) {
          shown++;
          shownIn.set(entry.group, shownIn.get(entry.group) + 1);
        }
      }
      for (const group of groups) {
        const empty = shownIn.get(group) === 0;
        if (group.hidden !== empty) group.hidden = empty;
      }
      for (const link of jumpLinks) {
        const group = document.getElementById(link.hash.slice(1));
        link.classList.toggle("glossary-jump-empty", !group || group.hidden);
      }
      status.textContent = shown
        ? `${shown} of ${entries.length} entries`
        : `No entry matches “${input.value.trim()}”${category ? ` in ${category}` : ""}.`;
      clearTimeout(addressTimer);
      addressTimer = setTimeout(keepInAddress, ADDRESS_DELAY_MS, input.value.trim(), category);
    }
    input.addEventListener("input", apply);
    select.addEventListener("change", apply);
    apply();
  }

  /* -- Previews of term links, on every page ------------------------------ */
  function setupPreviews() {
    // Only the entries this page links: {anchor: {term, summary}}, inline in the page.
    const byAnchor = new Map(Object.entries(window.GLOSSARY_PREVIEWS || {}));
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
    for (const link of document.querySelectorAll("a.reference.internal")) {
      if (!link.querySelector(".std-term")) continue;
      const record = byAnchor.get(decodeURIComponent(link.hash.slice(1)));
      if (!record) continue;
      link.addEventListener("mouseenter", () => show(link, record));
      link.addEventListener("focus", () => show(link, record));
      link.addEventListener("mouseleave", hide);
      link.addEventListener("blur", hide);
    }
    document.addEventListener("keydown", (event) => { if (event.key === "Escape") hide(); });
  }

  /* -- The glossary box above search results ------------------------------ */
  function setupSearchBox() {
    const results = document.getElementById("search-results");
    const query = fold(new URLSearchParams(location.search).get("q") || "");
    if (!results || !query) return;
    let best = null;
    let bestRank = 3;
    for (const record of records()) {
      const found = rank([record.term, ...record.aliases].map(fold), "", query);
      if (found >= 0 && found < bestRank) [best, bestRank] = [record, found];
    }
    if (!best) return;
    const box = element("aside", { class: "glossary-search-box", "aria-label": "Glossary entry" });
    const title = element("p", { class: "glossary-search-box-title" }, "Glossary: ");
    title.append(element("a", { href: root() + best.url }, best.term));
    box.append(title, element("p", {}, best.definition));
    results.before(box);
  }

  function start() {
    setupFilter();
    setupPreviews();
    setupSearchBox();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
