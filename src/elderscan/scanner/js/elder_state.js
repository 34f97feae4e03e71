() => {
  const read = (name) => {  // inside the try: a store the page may not use throws on access
    const all = {};
    try { const store = window[name]; for (let i = 0; i < store.length; i++) { const k = store.key(i); all[k] = store.getItem(k); } } catch (e) {}
    return all;
  };
  const ls = read('localStorage');
  const ss = read('sessionStorage');
  let cookie = '';
  try { cookie = document.cookie; } catch (e) {}
  const attrs = {};
  for (const a of document.body ? document.body.attributes : []) attrs[a.name] = a.value;
  // The size carrying the most visible characters (what a reader calls the text size).
  const chars = new Map();
  const root = document.querySelector('main') || document.body;
  const walk = root ? document.createTreeWalker(root, NodeFilter.SHOW_TEXT) : null;
  let n = 0;
  while (walk && walk.nextNode() && n < 3000) {
    const node = walk.currentNode; const el = node.parentElement;
    const len = node.textContent.replace(/\s+/g, '').length;
    if (!len || !el || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName) || !el.checkVisibility()) continue;
    n++;
    const px = Math.round(parseFloat(getComputedStyle(el).fontSize) * 100) / 100;
    chars.set(px, (chars.get(px) || 0) + len);
  }
  let best = null, most = 0;
  for (const [px, c] of chars) if (c > most) { most = c; best = px; }
  return { url: location.href, html_class: document.documentElement.className,
    body: attrs, storage: ls, session: ss, origin: location.origin, cookie, text_px: best,
    nodes: document.getElementsByTagName('*').length,
    marker: window.__elderscanMarker === true };
}
