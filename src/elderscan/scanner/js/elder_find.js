// Clickable non-links whose short label names an elder mode, and the onclick each candidate
// carries after page scripts ran (toolbars rewrite it, e.g. to aria.ofStart()).
({ words, known, maxLabel }) => {
  const clicked = window.__elderscanClicked || (() => false);
  const label = (el) => [el.textContent, el.getAttribute('aria-label'), el.getAttribute('title')]
    .filter(Boolean).join(' ').replace(/\s+/g, ' ').trim();
  const selectorOf = (el) => {
    if (el.id && document.querySelectorAll('#' + CSS.escape(el.id)).length === 1) return '#' + CSS.escape(el.id);
    const parts = [];
    for (let n = el; n && n.nodeType === 1 && n !== document.documentElement; n = n.parentElement) {
      if (n.id && document.querySelectorAll('#' + CSS.escape(n.id)).length === 1) { parts.unshift('#' + CSS.escape(n.id)); break; }
      let i = 1; for (let s = n.previousElementSibling; s; s = s.previousElementSibling) if (s.localName === n.localName) i++;
      parts.unshift(`${n.localName}:nth-of-type(${i})`);
    }
    return parts.join(' > ');
  };
  const landmark = (el) => {
    const lm = el.closest('header,nav,main,footer,aside');
    return lm ? lm.localName : null;
  };
  const found = [];
  const seen = new Set(known);
  const q = (sel) => { try { return document.querySelector(sel); } catch (e) { return null; } };
  const knownEls = known.map(q).filter(Boolean);
  const isKnown = (el) => knownEls.some((k) => k === el || k.contains(el) || el.contains(k));
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    if (found.length >= 40) break;
    if (el.children.length > 3) continue;  // a container, not a control (and cheap to skip)
    const raw = el.textContent || '';
    if (raw.length > maxLabel * 8) continue;
    const text = raw.replace(/\s+/g, ' ').trim();
    if (text.length > maxLabel) continue;
    const name = label(el);
    if (!name || !words.some((w) => name.toLowerCase().includes(w))) continue;
    const style = getComputedStyle(el);
    const clickable = clicked(el) || el.hasAttribute('onclick') || typeof el.onclick === 'function' || el.getAttribute('role') === 'button' ||
      (style.cursor === 'pointer' && !(el.parentElement && getComputedStyle(el.parentElement).cursor === 'pointer' && words.some((w) => label(el.parentElement).includes(w))));
    if (!clickable) continue;
    const sel = selectorOf(el);
    if (seen.has(sel) || isKnown(el)) continue;
    seen.add(sel);
    const r = el.getBoundingClientRect();
    const visible = r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && el.checkVisibility();
    found.push({
      tag: el.localName, role: el.getAttribute('role'), type: el.getAttribute('type'), text,
      name: (el.getAttribute('aria-label') || text || el.getAttribute('title') || '').trim(),
      aria_label: el.getAttribute('aria-label'), title: el.getAttribute('title'),
      href: el.localName === 'a' && el.getAttribute('href') ? el.href : null, id: el.id || null,
      selector: sel, box: [r.left + scrollX, r.top + scrollY, r.width, r.height], visible,
      focusable: el.tabIndex >= 0, in_first_screen: visible && r.top < innerHeight && r.bottom > 0,
      landmark: landmark(el),
    });
  }
  const handlers = {};
  for (const sel of [...known, ...found.map((f) => f.selector)]) {
    const el = q(sel);
    let h = el && el.getAttribute('onclick');
    if (el && !h && typeof el.onclick === 'function') {
      // A handler set by script (el.onclick = function () { … }): its body says what it calls.
      const src = String(el.onclick);
      h = src.slice(src.indexOf('{') + 1, src.lastIndexOf('}'));
    }
    h = h && h.replace(/\s+/g, ' ').trim().replace(/;$/, '');
    if (h && !/^(return\s+)?(void\(0\)|false)$/i.test(h)) handlers[sel] = h.slice(0, 120);
  }
  return { found, handlers };
}
