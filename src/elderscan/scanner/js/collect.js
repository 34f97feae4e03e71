// One pass over the rendered DOM: every fact the checks need, in a single evaluate call.
// Thousands of per-element round-trips cost seconds per page; one walk costs milliseconds.
// Evaluated as a function expression: (opts) => result.
(opts) => {
  const started = performance.now();
  const vw = window.innerWidth, vh = window.innerHeight;
  const sx = window.scrollX, sy = window.scrollY;
  const styles = new Map();
  const style = (el) => {
    let s = styles.get(el);
    if (!s) { s = getComputedStyle(el); styles.set(el, s); }
    return s;
  };
  const cut = (s, n) => (s.length > n ? s.slice(0, n) : s);
  const fold = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const box = (r) => [Math.round((r.left + sx) * 10) / 10, Math.round((r.top + sy) * 10) / 10,
    Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10];
  const firstScreen = (r) => r.bottom + sy > 0 && r.top + sy < vh && r.right > 0 && r.left < vw;

  const cssEscape = (s) => (window.CSS && CSS.escape ? CSS.escape(s) : s);
  const selectorOf = (el) => {
    const parts = [];
    let node = el;
    while (node && node.nodeType === 1 && parts.length < 8) {
      if (node.id && document.querySelectorAll('#' + cssEscape(node.id)).length === 1) {
        parts.unshift('#' + cssEscape(node.id));
        return parts.join(' > ');
      }
      const tag = node.localName;
      if (tag === 'html' || tag === 'body') { parts.unshift(tag); if (tag === 'body') break; node = node.parentElement; continue; }
      let index = 1, sib = node.previousElementSibling, same = false;
      while (sib) { if (sib.localName === tag) index++; sib = sib.previousElementSibling; }
      sib = node.nextElementSibling;
      while (sib && !same) { if (sib.localName === tag) same = true; sib = sib.nextElementSibling; }
      parts.unshift(index > 1 || same ? `${tag}:nth-of-type(${index})` : tag);
      node = node.parentElement;
    }
    return parts.join(' > ');
  };

  const parseColor = (c) => {
    const m = c && c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const hasImage = (s) => s.backgroundImage && s.backgroundImage !== 'none';

  // Background behind an element: composite ancestors' colours until an opaque one.
  const bgCache = new Map();
  const background = (el) => {
    if (bgCache.has(el)) return bgCache.get(el);
    const layers = [];
    let image = false;
    let node = el;
    while (node && node.nodeType === 1) {
      const s = style(node);
      if (hasImage(s)) image = true;
      const c = parseColor(s.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
      node = node.parentElement;
    }
    let out = [255, 255, 255];
    for (let i = layers.length - 1; i >= 0; i--) {
      const [r, g, b, a] = layers[i];
      out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)];
    }
    const res = { rgb: out.map((v) => Math.round(v)), image };
    bgCache.set(el, res);
    return res;
  };

  // An <img>, <video>, <canvas> or background image under a point, not an ancestor.
  const imageUnder = (el, r) => {
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x >= vw || y >= vh) return false;
    const stack = document.elementsFromPoint(x, y);
    for (const other of stack) {
      if (other === el || other.contains(el)) continue;
      if (el.contains(other)) continue;
      const t = other.localName;
      if (t === 'img' || t === 'video' || t === 'canvas' || t === 'picture' || t === 'svg') return true;
      if (hasImage(style(other))) return true;
    }
    return false;
  };

  const landmarkOf = (el) => {
    const lm = el.closest('header,nav,main,footer,aside,[role=banner],[role=navigation],[role=main],[role=contentinfo],[role=complementary]');
    if (!lm) return null;
    const role = lm.getAttribute('role');
    return ({ banner: 'header', navigation: 'nav', main: 'main', contentinfo: 'footer', complementary: 'aside' })[role] || lm.localName;
  };

  const visible = (el, r) => {
    if (r.width < 2 || r.height < 2) return false;
    if (el.checkVisibility && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    const s = style(el);
    if (s.clip === 'rect(0px, 0px, 0px, 0px)' || s.clipPath === 'inset(50%)') return false;
    return true;
  };

  // ---- text runs -------------------------------------------------------------------------
  const skipTags = new Set(['script', 'style', 'noscript', 'template', 'title', 'head', 'option']);
  const groups = new Map();
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
  let tn;
  while ((tn = walker.nextNode())) {
    if (!/\S/.test(tn.data)) continue;
    const parent = tn.parentElement;
    if (!parent || skipTags.has(parent.localName)) continue;
    let list = groups.get(parent);
    if (!list) { list = []; groups.set(parent, list); }
    list.push(tn);
  }
  const textRuns = [];
  let truncated = false;
  for (const [el, nodes] of groups) {
    if (textRuns.length >= opts.maxTextRuns) { truncated = true; break; }
    const range = document.createRange();
    range.setStartBefore(nodes[0]);
    range.setEndAfter(nodes[nodes.length - 1]);
    const r = range.getBoundingClientRect();
    if (!visible(el, r)) continue;
    const s = style(el);
    const color = parseColor(s.color);
    if (!color || color[3] === 0) continue;
    const raw = nodes.map((n) => n.data).join('');
    const text = fold(raw);
    const length = raw.replace(/\s/g, '').length;
    if (!length) continue;
    const bg = background(el);
    const lh = s.lineHeight === 'normal' ? null : parseFloat(s.lineHeight);
    let normalLine = null;
    if (lh === null) {
      const rects = range.getClientRects();
      if (rects.length) normalLine = Math.round(rects[0].height * 100) / 100;
    }
    textRuns.push({
      text: cut(text, 200), length, selector: selectorOf(el), tag: el.localName,
      font_px: parseFloat(s.fontSize), font_weight: parseInt(s.fontWeight, 10) || 400,
      font_family: cut(s.fontFamily, 120), line_height_px: lh, normal_line_px: normalLine, color,
      background: bg.rgb, over_image: bg.image || imageUnder(el, r), box: box(r),
      in_first_screen: firstScreen(r), landmark: landmarkOf(el),
    });
  }

  // ---- interactive elements -------------------------------------------------------------
  const labelText = (el) => {
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const t = by.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean)
        .map((n) => fold(n.textContent)).join(' ');
      if (t) return t;
    }
    const aria = fold(el.getAttribute('aria-label'));
    if (aria) return aria;
    if (el.labels && el.labels.length) {
      const t = Array.from(el.labels).map((l) => fold(l.textContent)).join(' ');
      if (t) return t;
    }
    const tag = el.localName;
    if (tag === 'input') {
      const type = (el.type || '').toLowerCase();
      if (['button', 'submit', 'reset'].includes(type)) return fold(el.value) || (type === 'submit' ? '提交' : '');
      if (type === 'image') return fold(el.alt);
    }
    if (tag !== 'input' && tag !== 'select' && tag !== 'textarea') {
      let t = fold(el.innerText || el.textContent);
      if (!t) t = Array.from(el.querySelectorAll('img[alt],svg title')).map((i) => fold(i.getAttribute('alt') || i.textContent)).join(' ');
      if (t) return cut(t, 200);
    }
    return fold(el.getAttribute('title')) || fold(el.getAttribute('placeholder'));
  };
  const interactiveSel = 'a[href],area[href],button,input:not([type=hidden]),select,textarea,summary,' +
    '[role=button],[role=link],[role=tab],[role=menuitem],[role=switch],[role=checkbox],[onclick],[tabindex]';
  const interactive = [];
  for (const el of document.querySelectorAll(interactiveSel)) {
    if (interactive.length >= opts.maxInteractive) break;
    const r = el.getBoundingClientRect();
    const vis = visible(el, r);
    const focusable = vis && el.tabIndex >= 0 && !el.disabled;
    interactive.push({
      tag: el.localName, role: el.getAttribute('role'), type: el.getAttribute('type'),
      text: cut(fold(el.innerText || el.value || ''), 200), name: labelText(el),
      aria_label: el.getAttribute('aria-label'), title: el.getAttribute('title'),
      href: el.href && typeof el.href === 'string' ? el.href : null, id: el.id || null,
      selector: selectorOf(el), box: box(r), visible: vis, focusable,
      in_first_screen: vis && firstScreen(r), landmark: landmarkOf(el),
    });
  }

  // ---- overlays: fixed/sticky/high z-index boxes ------------------------------------------
  const seen = window.__elderscan || { added: new WeakMap(), shown: new WeakMap() };
  const appearedAt = (el) => {
    let n = el;
    while (n && n.nodeType === 1 && n !== document.body && n !== document.documentElement) {
      const t = seen.shown.get(n) ?? seen.added.get(n);
      if (t !== undefined) return t;
      n = n.parentElement;
    }
    return null;
  };
  const closeRe = /^(×|✕|✖|x|X|关闭|关 闭|close|Close|CLOSE|跳过|我知道了)$/;
  const overlays = [];
  const overlayEls = [];
  const vArea = vw * vh;
  for (const el of document.querySelectorAll('body *')) {
    if (overlays.length >= 200) break;
    const s = style(el);
    const pos = s.position;
    const z = s.zIndex === 'auto' ? null : parseInt(s.zIndex, 10);
    if (!(pos === 'fixed' || pos === 'sticky' || (pos === 'absolute' && z !== null && z >= 100))) continue;
    const r = el.getBoundingClientRect();
    if (!visible(el, r)) continue;
    const ix = Math.max(0, Math.min(r.right, vw) - Math.max(r.left, 0));
    const iy = Math.max(0, Math.min(r.bottom, vh) - Math.max(r.top, 0));
    let closeEl = null;
    for (const c of el.querySelectorAll('a,button,span,i,div,[role=button],[class*=close],[id*=close]')) {
      const label = fold(c.getAttribute('aria-label') || c.getAttribute('title') || c.textContent);
      const cls = (typeof c.className === 'string' ? c.className : '') + ' ' + (c.id || '');
      if (closeRe.test(label) || /close|guanbi/i.test(cls)) {
        if (c.children.length > 2) continue;
        closeEl = c; break;
      }
    }
    const cr = closeEl ? closeEl.getBoundingClientRect() : null;
    let inside = null;
    for (let k = overlayEls.length - 1; k >= 0; k--) {
      if (overlayEls[k].contains(el)) { inside = overlays[k].selector; break; }
    }
    overlayEls.push(el);
    overlays.push({
      inside,
      selector: selectorOf(el), tag: el.localName, position: pos, z_index: Number.isNaN(z) ? null : z,
      box: box(r), viewport_coverage: Math.round((ix * iy / vArea) * 1000) / 1000,
      text: cut(fold(el.innerText), 200), appeared_ms: appearedAt(el),
      close_box: cr ? box(cr) : null,
      close_label: closeEl ? cut(fold(closeEl.getAttribute('aria-label') || closeEl.textContent || closeEl.getAttribute('title')), 40) : null,
    });
  }

  // ---- frames, media, links, document facts --------------------------------------------
  const iframes = Array.from(document.querySelectorAll('iframe,frame')).map((f) => {
    const r = f.getBoundingClientRect();
    let cross = false;
    try { cross = !f.contentDocument; } catch (e) { cross = true; }
    return { url: f.src || '', name: f.getAttribute('name'), title: f.getAttribute('title'),
      selector: selectorOf(f), box: box(r), cross_origin: cross };
  });
  const media = Array.from(document.querySelectorAll('audio,video')).map((m) => ({
    tag: m.localName, selector: selectorOf(m), src: m.currentSrc || m.src || null,
    autoplay: m.autoplay, paused: m.paused, muted: m.muted, controls: m.controls,
  }));
  const links = [];
  for (const a of document.querySelectorAll('a[href],area[href]')) {
    const raw = a.getAttribute('href');
    if (raw === null) continue;
    try { links.push(new URL(raw, document.baseURI).href); } catch (e) { links.push(raw); }
  }
  const images = [];
  for (const img of document.querySelectorAll('img,input[type=image]')) {
    if (images.length >= 500) break;
    const r = img.getBoundingClientRect();
    const vis = visible(img, r);
    images.push({
      selector: selectorOf(img), src: cut(img.currentSrc || img.src || '', 500),
      alt: img.getAttribute('alt'), id: img.id || null,
      classes: cut(typeof img.className === 'string' ? img.className : '', 200),
      box: box(r), visible: vis, in_first_screen: vis && firstScreen(r),
    });
  }
  const scripts = Array.from(document.scripts).map((sc) => sc.src).filter(Boolean).slice(0, 300);
  // Spacing set with !important in a style attribute cannot be overridden by a reader's own
  // stylesheet (WCAG 1.4.12); record each such declaration with what it computes to.
  const spacing = [];
  for (const el of document.querySelectorAll('[style*="important" i]')) {
    if (spacing.length >= 300) break;
    const decl = el.style;
    const s = style(el);
    const r = el.getBoundingClientRect();
    const text = fold(el.textContent);
    let lines = 0;
    if (text) {
      const range = document.createRange();
      range.selectNodeContents(el);
      const tops = new Set(Array.from(range.getClientRects()).map((x) => Math.round(x.top)));
      lines = tops.size;
    }
    for (const prop of ['letter-spacing', 'word-spacing', 'line-height']) {
      if (decl.getPropertyPriority(prop) !== 'important') continue;
      const computed = s.getPropertyValue(prop);
      spacing.push({
        selector: selectorOf(el), property: prop, declared: decl.getPropertyValue(prop),
        computed_px: computed === 'normal' ? null : parseFloat(computed),
        font_px: parseFloat(s.fontSize), has_text: text.length > 0,
        visible: visible(el, r), lines,
      });
    }
  }
  const meta = (sel) => { const m = document.querySelector(sel); return m ? m.getAttribute('content') : null; };
  const de = document.documentElement;
  return {
    title: document.title || '',
    lang: de.getAttribute('lang') || de.getAttribute('xml:lang') || null,
    meta_viewport: meta('meta[name=viewport i]'),
    meta_refresh: meta('meta[http-equiv=refresh i]'),
    charset: document.characterSet,
    document_size: [Math.ceil(Math.max(de.scrollWidth, document.body ? document.body.scrollWidth : 0)),
      Math.ceil(Math.max(de.scrollHeight, document.body ? document.body.scrollHeight : 0))],
    text_runs: textRuns, text_runs_truncated: truncated, interactive, overlays, iframes, media, links,
    images, scripts, spacing,
    dialogs: seen.dialogs || [],
    collect_ms: performance.now() - started,
  };
}
