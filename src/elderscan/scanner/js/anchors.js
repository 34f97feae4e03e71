// Element anchors: what a person would call an element ("the link 更多 in the second nav"), so a
// finding keeps its identity when the markup is refactored and every CSS selector changes.
// Evaluated as ({selectors, registry}) => JSON of {anchors: {selector: anchor}, ms}; with
// `registry` true every selector collect.js handed out is anchored too, so the thousands of
// them never cross the wire as arguments, and one JSON string returns faster than an object
// tree (25 ms in the page, not 300 ms of serialisation, for 3000 elements).
//   role      coarse ARIA role (explicit role wins; p/div/span/b/font... are all "text", and so
//             is a landmark itself: <footer>text</footer> and <div role=contentinfo><span>text
//             are the same thing to a reader)
//   text      accessible name or own text, NFKC, whitespace folded, digits → 0, ≤ 60 characters
//   landmark  nearest landmark (the element itself included): role [label] #n, n only for the
//             2nd+ landmark with that key
//   index     position among the landmark's elements with the same role and text, ancestors of
//             the element not counted (a new wrapper div with the same text shifts nothing)
// Selectors come from collect.js's registry (exact elements, shadow roots included), else they
// must match exactly one element of the main document; anything else gets no anchor.
(opts) => {
  const started = performance.now();
  const registry = window.__elderscanElements || new Map();
  const selectors = opts.registry ? [...registry.keys(), ...opts.selectors] : opts.selectors;
  const fold = (s) => (s || '').normalize('NFKC').replace(/\s+/g, ' ').trim();
  const norm = (s, n) => fold(s).replace(/[0-9]+/g, '0').slice(0, n);
  const parentOf = (el) => {
    if (el.parentElement) return el.parentElement;
    const root = el.getRootNode && el.getRootNode();
    return root && root.host ? root.host : null;
  };

  const LANDMARK_TAGS = { header: 'banner', footer: 'contentinfo', nav: 'navigation', main: 'main',
    aside: 'complementary', form: 'form', dialog: 'dialog' };
  const LANDMARK_ROLES = new Set(['banner', 'contentinfo', 'navigation', 'main', 'complementary',
    'form', 'region', 'search', 'dialog', 'alertdialog']);
  const ROLES = {
    button: 'button', summary: 'button', select: 'combobox', textarea: 'textbox',
    img: 'img', svg: 'img', picture: 'img', canvas: 'img',
    h1: 'heading', h2: 'heading', h3: 'heading', h4: 'heading', h5: 'heading', h6: 'heading',
    li: 'listitem', dt: 'listitem', dd: 'listitem', ul: 'list', ol: 'list', dl: 'list',
    table: 'table', tr: 'row', td: 'cell', th: 'cell', video: 'media', audio: 'media',
    iframe: 'frame', frame: 'frame', marquee: 'marquee', label: 'label',
  };
  const INPUTS = { button: 'button', submit: 'button', reset: 'button', image: 'button',
    checkbox: 'checkbox', radio: 'radio', range: 'slider' };
  const roleOf = (el) => {
    const explicit = (el.getAttribute('role') || '').trim().split(/\s+/)[0].toLowerCase();
    if (explicit && explicit !== 'presentation' && explicit !== 'none') {
      return LANDMARK_ROLES.has(explicit) ? 'text' : explicit;
    }
    const tag = el.localName;
    if (tag === 'a' || tag === 'area') return el.hasAttribute('href') ? 'link' : 'text';
    if (tag === 'input') return INPUTS[(el.getAttribute('type') || '').toLowerCase()] || 'textbox';
    return ROLES[tag] || 'text';
  };
  const NAMED = new Set(['link', 'button', 'textbox', 'checkbox', 'radio', 'combobox', 'slider',
    'switch', 'tab', 'menuitem', 'img', 'frame', 'media', 'heading', 'listitem', 'cell']);

  // The first `n` characters of an element's text, without reading a whole wrapper's content.
  const leadingText = (el, n) => {
    let out = '';
    const walk = (root) => {
      const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      let t;
      while ((t = w.nextNode()) && out.length < n * 2) {
        const p = t.parentElement;
        if (p && (p.localName === 'script' || p.localName === 'style')) continue;
        out += t.data + ' ';
      }
    };
    walk(el);
    if (!out.trim() && el.shadowRoot) walk(el.shadowRoot);
    return out;
  };
  const ownText = (el) => {
    let s = '';
    for (const c of el.childNodes) if (c.nodeType === 3) s += c.data;
    return s;
  };
  const labelledBy = (el) => {
    const by = el.getAttribute('aria-labelledby');
    if (!by) return '';
    return by.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean)
      .map((n) => n.textContent).join(' ');
  };
  const srcName = (el) => {
    const src = el.getAttribute('src') || el.getAttribute('data') || '';
    return src.split(/[?#]/)[0].split('/').pop() || '';
  };
  const textOf = (el, role) => {
    const aria = fold(el.getAttribute('aria-label')) || fold(labelledBy(el));
    if (aria) return norm(aria, 60);
    const tag = el.localName;
    if (tag === 'img' || tag === 'area' || (tag === 'input' && el.type === 'image')) {
      return norm(el.getAttribute('alt') || el.getAttribute('title') || srcName(el), 60);
    }
    if (tag === 'input' || tag === 'textarea' || tag === 'select') {
      const labels = el.labels ? Array.from(el.labels).map((l) => l.textContent).join(' ') : '';
      return norm(fold(labels) || el.getAttribute('placeholder') || el.getAttribute('title')
        || (['button', 'submit', 'reset'].includes(el.type) ? el.value : '') || el.name || '', 60);
    }
    if (tag === 'iframe' || tag === 'frame' || tag === 'video' || tag === 'audio') {
      return norm(el.getAttribute('title') || srcName(el), 60);
    }
    // Controls and cells are named by all their content; other elements by their own text.
    let t = NAMED.has(role) ? '' : fold(ownText(el));
    if (!t) t = fold(leadingText(el, 60));
    if (!t) {
      const img = el.querySelector && el.querySelector('img[alt]');
      t = fold(el.getAttribute('title') || (img ? img.getAttribute('alt') : ''));
    }
    return norm(t, 60);
  };

  const landmarkRole = (el) => {
    const explicit = (el.getAttribute('role') || '').trim().split(/\s+/)[0].toLowerCase();
    if (LANDMARK_ROLES.has(explicit)) return explicit;
    if (explicit) return null;
    const tag = el.localName;
    if (LANDMARK_TAGS[tag]) return LANDMARK_TAGS[tag];
    if (tag === 'section' && (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby'))) return 'region';
    return null;
  };
  const landmarkCache = new Map();
  const landmarkOf = (el) => {
    const chain = [];
    let found = null;
    for (let n = el; n; n = parentOf(n)) {
      if (landmarkCache.has(n)) { found = landmarkCache.get(n); break; }
      chain.push(n);
      if (landmarkRole(n)) { found = n; break; }
    }
    for (const n of chain) landmarkCache.set(n, found);
    return found;
  };

  // Every element in document order, open shadow roots included, once.
  const all = [];
  const walkRoot = (root) => {
    const w = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    let n = w.currentNode;
    if (n === root && root.nodeType !== 1) n = w.nextNode();
    while (n) {
      all.push(n);
      if (n.shadowRoot) walkRoot(n.shadowRoot);
      n = w.nextNode();
    }
  };
  walkRoot(document.body || document.documentElement);

  const landmarkNames = new Map();
  const counts = new Map();
  for (const el of all) {
    const role = landmarkRole(el);
    if (!role) continue;
    const label = norm(el.getAttribute('aria-label') || labelledBy(el), 40);
    const key = role + (label ? `[${label}]` : '');
    const k = (counts.get(key) || 0) + 1;
    counts.set(key, k);
    landmarkNames.set(el, k > 1 ? `${key}#${k}` : key);
  }

  const resolve = (sel) => {
    if (registry.has(sel)) return registry.get(sel);  // null: the selector named two elements
    try {
      const list = document.querySelectorAll(sel);
      return list.length === 1 ? list[0] : null;
    } catch (e) {
      return null;
    }
  };
  const wanted = [];
  const roles = new Set();
  for (const sel of selectors) {
    const el = resolve(sel);
    if (!el || !el.isConnected) continue;
    const role = roleOf(el);
    roles.add(role);
    wanted.push([sel, el, role]);
  }
  // Text keys only for elements whose role some wanted element has.
  const keyed = new Map();
  const keyOf = (el, role) => {
    let k = keyed.get(el);
    if (k === undefined) {
      k = role + '\u001f' + textOf(el, role) + '\u001f' + (landmarkNames.get(landmarkOf(el)) || 'document');
      keyed.set(el, k);
    }
    return k;
  };
  const byKey = new Map();
  for (const el of all) {
    const role = roleOf(el);
    if (!roles.has(role)) continue;
    const k = keyOf(el, role);
    let list = byKey.get(k);
    if (!list) { list = []; byKey.set(k, list); }
    list.push(el);
  }
  const anchors = {};
  for (const [sel, el, role] of wanted) {
    const k = keyOf(el, role);
    const [, text, landmark] = k.split('\u001f');
    let index = 0;
    for (const other of byKey.get(k) || []) {
      if (other === el) break;
      if (!other.contains(el) && !(other.shadowRoot && other.shadowRoot.contains(el))) index++;
    }
    anchors[sel] = { role, text, landmark, index };
  }
  return JSON.stringify({ anchors, ms: performance.now() - started });
}
