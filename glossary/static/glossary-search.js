/* The site search: results as you type under the search box, and on the search page.
 *
 * Loaded by glossary.js when the search box is first focused (or by the search
 * page at once), after MiniSearch (minisearch.min.js, MIT), Sphinx's stemmer
 * (language_data.js) and the index the build writes (search-index.js:
 * window.GLOSSARY_SEARCH_INDEX, one document per section of each page and one
 * per glossary entry; glossary/search_index.py).  Nothing is fetched: it works
 * from file:// and never contacts another host.
 *
 * The rules (tests/data/search-cases.json, "full_text"): words folded (case,
 * width, accents) and stemmed; the last word, while it is typed, also matches as
 * a prefix; one edit forgiven in a word of five letters or more, two from nine;
 * an entry's names are synonyms in the text ("ml" also finds "machine
 * learning").  An entry the query names comes first (glossary.js's rules, as the
 * command line's), then sections whose heading matches, then the other matches
 * by MiniSearch's score.  The box follows the ARIA combobox pattern: the input
 * is a combobox, the results a listbox of links with role option.
 */
"use strict";

(() => {
  const { fold, withinEdits, allowedEdits, near, element } = window.glossarySearch;
  const data = window.GLOSSARY_SEARCH_INDEX || { sections: [], entries: [] };
  const root = () => document.documentElement.dataset.content_root || "";
  /** Results in the box (the search page shows them all, in the same order). */
  const BOX_RESULTS = 8;
  const PAGE_RESULTS = 100;
  /** Characters of text shown around the first matched word. */
  const SNIPPET = 160;
  const SEP = " \u203a ";
  /** A last word shorter than this is a prefix of names and headings only. */
  const SHORT_PREFIX = 3;

  const stemmer = typeof window.Stemmer === "function" ? new window.Stemmer() : null;
  const stopwords = window.stopwords instanceof Set ? window.stopwords : new Set();
  // Stemming is the dearest step of indexing (Snowball in JavaScript), and a page
  // has a few thousand words but some hundreds of different ones: each is stemmed once.
  const stems = new Map();
  function stem(word) {
    let stemmed = stems.get(word);
    if (stemmed === undefined) {
      stemmed = stemmer ? stemmer.stemWord(word) : word;
      stems.set(word, stemmed);
    }
    return stemmed;
  }
  const WORD = /[\p{L}\p{N}]+/gu;
  /** Folded as names are (glossary.js's fold: case, width), then without accents. */
  const bare = (text) => fold(text).normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC");
  /** A word of a text as the index has it, remembered: rendering marks words by it. */
  const indexed = new Map();
  function asIndexed(word) {
    let folded = indexed.get(word);
    if (folded === undefined) {
      folded = bare(word);
      indexed.set(word, folded);
    }
    return folded;
  }
  const words = (text) => bare(text).match(WORD) || [];
  const length = (text) => Array.from(text).length;

  /* -- The index ---------------------------------------------------------- */
  const documents = [
    ...data.entries.map((entry) => ({
      kind: "entry",
      title: entry.term,
      names: [entry.term, ...entry.aliases].join(" \n "),
      heading: "",
      text: entry.summary,
      url: entry.url,
      folded: [entry.term, ...entry.aliases].map(fold),
    })),
    ...data.sections.map((section) => ({
      kind: "section",
      title: section.heading === section.page ? section.page : section.page + SEP + section.heading,
      names: "",
      heading: section.heading,
      text: section.text,
      url: section.url,
    })),
  ];
  documents.forEach((doc, id) => { doc.id = id; });
  const entries = documents.filter((doc) => doc.kind === "entry");
  // What nameRank reads of each name on every keystroke, worked out once.
  for (const entry of entries) {
    entry.lengths = entry.folded.map(length);
    entry.parts = entry.folded.map((name) => name.split(" "));
  }

  // Each word is indexed as typed (folded) and as its stem: a stem matches other forms
  // of a word ("walking", "walks"), the word as typed the prefix of one half typed.
  const engine = new window.MiniSearch({
    fields: ["names", "heading", "text"],
    tokenize: (text) => words(text),
    processTerm: (term) => {
      if (stopwords.has(term)) return null;
      const stemmed = stem(term);
      return stemmed === term ? term : [term, stemmed];
    },
    searchOptions: {
      tokenize: (text) => [text],
      processTerm: (term) => term,
      boost: { names: 4, heading: 3 },
    },
  });
  engine.addAll(documents);

  /** Each name (folded words) -> the other names of its entry, for synonyms. */
  const synonyms = new Map();
  for (const entry of entries) {
    const names = entry.folded.map((name) => words(name).join(" ")).filter(Boolean);
    for (const name of names) {
      const others = names.filter((other) => other !== name);
      synonyms.set(name, [...(synonyms.get(name) || []), ...others]);
    }
  }

  /* -- A query ------------------------------------------------------------ */
  const leaf = (term, options = {}) => ({ queries: [term], prefix: false, fuzzy: 0, ...options });
  const phrase = (name) => ({ combineWith: "AND", queries: words(name).map((word) => leaf(stem(word))) });

  /** The query's words: folded, stop words left out but for a last word still typed. */
  function parse(text) {
    const typed = words(text);
    const open = typed.length > 0 && !/\s$/.test(text);
    const kept = typed.filter((word, i) => !stopwords.has(word) || (open && i === typed.length - 1));
    return { words: kept, open };
  }

  /** MiniSearch's query tree: every word (or a synonym of it), each forgiving its typos. */
  function tree({ words: kept, open }) {
    const perWord = kept.map((word, i) => {
      const last = open && i === kept.length - 1;
      const fuzzy = allowedEdits(length(word));
      // The stem forgives what it is long enough to ("walk", from "walking", is not "wall").
      const stemmed = stem(word);
      const alternatives = stopwords.has(word) ? [] : [leaf(stemmed, { fuzzy: Math.min(fuzzy, allowedEdits(length(stemmed))) })];
      // One or two letters begin thousands of words of the text: as a prefix they are
      // looked for in names and headings only (the text still has the word whole).
      if (last) {
        const fields = length(word) < SHORT_PREFIX ? { fields: ["names", "heading"] } : {};
        alternatives.push(leaf(word, { prefix: true, fuzzy, ...fields }));
      }
      for (const other of synonyms.get(word) || []) alternatives.push(phrase(other));
      return { combineWith: "OR", queries: alternatives };
    });
    const whole = { combineWith: "AND", queries: perWord };
    const others = synonyms.get(kept.join(" ")) || [];
    return others.length ? { combineWith: "OR", queries: [whole, ...others.map(phrase)] } : whole;
  }

  /** Whether a name (its words) starts with the query being typed: its last word half
   * typed, the others with the typos they forgive ("concpt dr" for "concept drift"). */
  function typedPrefix(parts, typed) {
    const last = typed.length - 1;
    return parts.length >= typed.length && parts[last].startsWith(typed[last]) &&
      typed.slice(0, last).every((word, i) => withinEdits(word, parts[i], allowedEdits(length(parts[i]))));
  }

  /** How an entry's names match the query, as glossary.js's rank (0 best), or -1.
   * A name "contains" the query where one of its words starts with it, or where it
   * starts with the query still being typed.  Run on every entry at every keystroke:
   * it allocates nothing and tries the cheap tests first. */
  function nameRank(entry, query) {
    const names = entry.folded;
    if (names[0] === query.text) return 0;
    if (names.indexOf(query.text, 1) > 0) return 1;
    for (let i = 0; i < names.length; i++) {
      if (Math.abs(entry.lengths[i] - query.length) <= query.span && near(names[i], query.text)) return 2;
    }
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (name.startsWith(query.text) || name.includes(" " + query.text)) return 3;
      if (query.open && typedPrefix(entry.parts[i], query.words)) return 3;
    }
    return -1;
  }

  /** Whether every word of the query is one of the heading's (stem, typo or prefix). */
  function headingMatches(doc, { words: kept, open }) {
    doc.headingWords ||= words(doc.heading);
    const own = doc.headingWords;
    const stems = own.map(stem);
    return kept.every((word, i) => {
      const last = open && i === kept.length - 1;
      const limit = allowedEdits(length(word));
      const wordStem = stem(word);
      return own.some((candidate, k) =>
        stems[k] === wordStem ||
        (last && candidate.startsWith(word)) ||
        (limit > 0 && withinEdits(word, candidate, limit)));
    });
  }

  /** Every result for a query, best first: {doc, terms (matched words, as indexed)}. */
  function search(text) {
    const query = fold(text);
    const parsed = parse(text);
    if (!query || !parsed.words.length) return [];
    const words = query.split(" ");
    const asTyped = { text: query, words, length: length(query), span: 2 * words.length, open: parsed.open };
    const named = [];
    for (const entry of entries) {
      const rank = nameRank(entry, asTyped);
      if (rank >= 0) named.push({ doc: entry, rank, key: entry.folded[0] });
    }
    named.sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const found = engine.search(tree(parsed));
    const terms = new Map(found.map((result) => [result.id, result.terms]));
    const first = new Set(named.map(({ doc }) => doc.id));
    const headings = [];
    const rest = [];
    for (const result of found) {
      if (first.has(result.id)) continue;
      const doc = documents[result.id];
      (doc.kind === "section" && headingMatches(doc, parsed) ? headings : rest).push(doc);
    }
    const typed = [...parsed.words, ...parsed.words.map(stem)];
    const prefix = parsed.open ? parsed.words[parsed.words.length - 1] : null;
    // The words to mark are worked out only for the results shown.
    return [...named.map(({ doc }) => doc), ...headings, ...rest].map((doc) => ({
      doc, prefix,
      get terms() {
        const value = new Set([...(terms.get(doc.id) || []), ...typed]);
        Object.defineProperty(this, "terms", { value });
        return value;
      },
    }));
  }

  /* -- Rendering ---------------------------------------------------------- */
  /** Whether a word of the text is one the query matched. */
  function isMatched(word, result) {
    const folded = asIndexed(word);
    if (result.terms.has(folded) || result.terms.has(stem(folded))) return true;
    return result.prefix !== null && folded.startsWith(result.prefix);
  }

  /** *text* into *parent*, the matched words in <mark>; from *start* to *end* (characters). */
  function marked(parent, text, result, start = 0, end = text.length) {
    let at = start;
    for (const match of text.slice(start, end).matchAll(WORD)) {
      const from = start + match.index;
      if (!isMatched(match[0], result)) continue;
      if (from > at) parent.append(text.slice(at, from));
      parent.append(element("mark", {}, match[0]));
      at = from + match[0].length;
    }
    if (end > at) parent.append(text.slice(at, end));
    return parent;
  }

  /** Some words of the text around its first matched word. */
  function snippet(text, result) {
    const node = element("span", { class: "glossary-search-snippet" });
    if (!text) return node;
    let first = 0;
    for (const match of text.matchAll(WORD)) {
      if (isMatched(match[0], result)) { first = match.index; break; }
    }
    let start = Math.max(0, first - SNIPPET / 4);
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    let end = Math.min(text.length, start + SNIPPET);
    if (end < text.length) end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end;
    if (start > 0) node.append("\u2026 ");
    marked(node, text, result, start, end);
    if (end < text.length) node.append(" \u2026");
    return node;
  }

  /** A result's title and snippet, into *parent* (an option or a list item's link). */
  function describe(parent, result) {
    const { doc } = result;
    const title = element("span", { class: "glossary-search-title" });
    marked(title, doc.title, result);
    if (doc.kind === "entry") title.append(element("span", { class: "glossary-search-kind" }, " \u00b7 Glossary"));
    parent.append(title, snippet(doc.text, result));
    return parent;
  }

  /* -- The box: a combobox and its listbox -------------------------------- */
  function attach(input, listbox) {
    const status = element("p", { class: "glossary-search-status", role: "status" });
    listbox.after(status);
    let options = [];
    let active = -1;
    let shown = "";

    function place() {
      const box = input.getBoundingClientRect();
      const viewport = document.documentElement.clientWidth;
      const width = Math.min(36 * 16, viewport - 16);
      listbox.style.width = `${width}px`;
      listbox.style.left = `${Math.max(8, Math.min(box.left, viewport - width - 8))}px`;
      listbox.style.top = `${box.bottom + 4}px`;
      listbox.style.maxHeight = `${Math.max(160, window.innerHeight - box.bottom - 16)}px`;
    }
    function setActive(index) {
      if (options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      if (options[active]) {
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function close() {
      setActive(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }
    function open() {
      if (!options.length) return;
      if (listbox.hidden) place();
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function update() {
      const text = input.value;
      if (text === shown && options.length) return open();
      shown = text;
      setActive(-1);
      const results = search(text);
      options = results.slice(0, BOX_RESULTS).map((result, index) => {
        const option = element("a", {
          role: "option", id: `${listbox.id}-${index}`, href: root() + result.doc.url,
          tabindex: "-1", "aria-selected": "false", class: "glossary-search-option",
        });
        return describe(option, result);
      });
      if (results.length > BOX_RESULTS) {
        const all = element("a", {
          role: "option", id: `${listbox.id}-all`, tabindex: "-1", "aria-selected": "false",
          class: "glossary-search-option glossary-search-all",
          href: `${root()}search.html?q=${encodeURIComponent(text.trim())}`,
        }, `All ${results.length} results`);
        options.push(all);
      }
      listbox.replaceChildren(...options);
      status.textContent = !text.trim() ? "" : results.length
        ? `${results.length} result${results.length === 1 ? "" : "s"}` : "No results";
      if (options.length) open(); else close();
    }

    input.addEventListener("input", update);
    input.addEventListener("focus", () => { if (input.value.trim()) update(); });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (listbox.hidden) { update(); if (listbox.hidden) return; }
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        const next = active < 0 ? (step > 0 ? 0 : options.length - 1) : active + step;
        setActive((next + options.length) % options.length);
      } else if (event.key === "Enter" && !listbox.hidden && options[active]) {
        event.preventDefault();
        const href = options[active].href;
        close();
        window.location.assign(href);
      } else if (event.key === "Escape" && !listbox.hidden) {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
    // A click on a result must not blur the input first (the list would close under it).
    listbox.addEventListener("mousedown", (event) => event.preventDefault());
    listbox.addEventListener("click", () => close());
    input.addEventListener("blur", () => close());
    window.addEventListener("resize", () => { if (!listbox.hidden) place(); });
    // The box moves with furo's navigation drawer as it slides in on a phone.
    document.addEventListener("transitionend", () => { if (!listbox.hidden) place(); });
    document.addEventListener("scroll", () => { if (!listbox.hidden) place(); }, { capture: true, passive: true });
    update();
  }

  /* -- The search page ---------------------------------------------------- */
  function renderPage(text, out) {
    const results = search(text);
    const heading = element("h2", {}, "Search results");
    const summary = element("p", { class: "search-summary" }, results.length
      ? `${results.length} result${results.length === 1 ? "" : "s"} for \u201c${text.trim()}\u201d.`
      : `No result for \u201c${text.trim()}\u201d. Check the spelling, or try fewer or other words.`);
    const list = element("ul", { class: "search glossary-search-list", role: "list" });
    for (const result of results.slice(0, PAGE_RESULTS)) {
      const item = element("li", { class: `glossary-search-${result.doc.kind}` });
      item.append(describe(element("a", { href: root() + result.doc.url }), result));
      list.append(item);
    }
    out.replaceChildren(heading, summary, list);
  }

  window.glossarySiteSearch = { search, attach, renderPage, documents };
})();
