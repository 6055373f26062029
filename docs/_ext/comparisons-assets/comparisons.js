// @ts-check
// The view of the role comparisons (docs/_ext/comparisons.py): "tabs" or "columns".
//
// The choice is kept in local storage, as sphinx-design keeps the chosen tab, so it
// holds on every page and after a reload; `?view=columns` or `?view=tabs` in the
// address opens a page in that view (and keeps it, as `?role=mle` does for the tab).
// This script runs before the page is drawn: it sets `data-comparison-view` on the
// root element, which comparisons.css reads, so a page never redraws into its view.
// The markup of the choice is the page's own; this script only wires it up.
(() => {
  const KEY = "comparison-view";
  const VIEWS = ["tabs", "columns"];
  const root = document.documentElement;

  /** @returns {string | null} */
  function stored() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (err) {
      return null; // storage blocked: the view simply does not persist
    }
  }

  /** @param {string} view */
  function store(view) {
    try {
      window.localStorage.setItem(KEY, view);
    } catch (err) {
      // storage blocked: ignore
    }
  }

  /** @param {string | null} view */
  function valid(view) {
    return view !== null && VIEWS.includes(view);
  }

  /** Show *view* and check its radio button. @param {string} view */
  function show(view) {
    root.dataset.comparisonView = view;
    document
      .querySelectorAll('.comparison-view input[name="comparison-view"]')
      .forEach((input) => {
        if (input instanceof HTMLInputElement) input.checked = input.value === view;
      });
  }

  const asked = new URLSearchParams(window.location.search).get("view");
  if (valid(asked)) store(/** @type {string} */ (asked));
  const saved = stored();
  root.dataset.comparisonView = valid(asked) ? asked : valid(saved) ? saved : VIEWS[0];

  document.addEventListener("DOMContentLoaded", () => {
    show(root.dataset.comparisonView || VIEWS[0]);
    document.querySelectorAll('.comparison-view input[name="comparison-view"]').forEach((input) => {
      input.addEventListener("change", () => {
        if (!(input instanceof HTMLInputElement) || !input.checked) return;
        show(input.value);
        store(input.value);
      });
    });
  });
  // Another tab or window of the site changed the view: follow it.
  window.addEventListener("storage", (event) => {
    if (event.key === KEY && valid(event.newValue)) show(/** @type {string} */ (event.newValue));
  });
})();
