(origin, entries) => {
  // A tab's sessionStorage lives on through the pages a reader opens in it; a new tab starts
  // empty. Put back what the switch's tab held, in the top document of that origin only, and
  // leave alone what the page has set itself.
  if (window.top !== window || location.origin !== origin) return;
  try {
    for (const [k, v] of Object.entries(entries)) {
      if (sessionStorage.getItem(k) === null) sessionStorage.setItem(k, v);
    }
  } catch (e) {}
}
