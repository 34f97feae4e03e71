// Keyboard focus probe, in two calls: 'base' snapshots the unfocused look of every focusable
// element and starts recording a step at each focusin (the new element's look diffed against
// its snapshot, while it has focus); 'steps' (after the real Tab presses) hands them over.
(mode) => {
  const PROPS = ['outline-style', 'outline-width', 'outline-color', 'box-shadow', 'background-color',
    'color', 'border-top-color', 'border-bottom-color', 'border-top-width', 'border-bottom-width',
    'text-decoration-line', 'opacity', 'transform'];
  const look = (el) => {
    const s = getComputedStyle(el);
    const out = {};
    for (const p of PROPS) out[p] = s.getPropertyValue(p);
    return out;
  };
  const stepOf = (el) => {
    if (!el || el === document.body || el === document.documentElement) return null;
    const before = (window.__elderscanFocus && window.__elderscanFocus.get(el)) || null;
    const now = look(el);
    const changes = [];
    if (before) for (const p of PROPS) if (before[p] !== now[p]) changes.push(p);
    const outline = now['outline-style'] !== 'none' && parseFloat(now['outline-width']) > 0;
    const visibleChange = changes.some((p) => !p.startsWith('outline')) || (outline && changes.some((p) => p.startsWith('outline')));
    const r = el.getBoundingClientRect();
    const path = [];
    let node = el;
    while (node && node.nodeType === 1 && node !== document.body && path.length < 6) {
      if (node.id) { path.unshift('#' + CSS.escape(node.id)); break; }
      let i = 1, sib = node.previousElementSibling;
      while (sib) { if (sib.localName === node.localName) i++; sib = sib.previousElementSibling; }
      path.unshift(`${node.localName}:nth-of-type(${i})`);
      node = node.parentElement;
    }
    return {
      selector: (path[0] && path[0].startsWith('#') ? '' : 'body > ') + path.join(' > '), tag: el.localName,
      name: (el.getAttribute('aria-label') || el.innerText || el.value || el.title || '').replace(/\s+/g, ' ').trim().slice(0, 80),
      box: [r.left + scrollX, r.top + scrollY, r.width, r.height].map((v) => Math.round(v * 10) / 10),
      indicator: before ? visibleChange : outline,
      changes,
    };
  };
  if (mode === 'base') {
    const base = new Map();
    const sel = 'a[href],button,input:not([type=hidden]),select,textarea,summary,[tabindex]';
    let n = 0;
    for (const el of document.querySelectorAll(sel)) {
      if (n++ > 400) break;
      base.set(el, look(el));
    }
    window.__elderscanFocus = base;
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    const steps = [];
    const record = () => {
      const step = steps.length < 100 ? stepOf(document.activeElement) : null;
      if (step) steps.push(step);
    };
    document.addEventListener('focusin', record, true);
    window.__elderscanFocusSteps = { steps, record };
    return base.size;
  }
  if (mode === 'steps') {
    const rec = window.__elderscanFocusSteps;
    if (!rec) return [];
    document.removeEventListener('focusin', rec.record, true);
    return rec.steps;
  }
  return stepOf(document.activeElement);
}
