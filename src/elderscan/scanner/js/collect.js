// One pass over the rendered DOM: every fact the checks need, in a single evaluate call.
// Thousands of per-element round-trips cost seconds per page; one walk costs milliseconds.
// Evaluated as a function expression: (opts) => result.
(opts) => {
  const started = performance.now();
  const FRAME_PAGE_PX = [200, 100];  // an iframe at least this wide and tall shows a page
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
  // Every selector handed out, with its element, for the anchor pass (anchors.js): it finds
  // the exact element again, shadow roots included; a selector two elements share maps to null.
  const registry = new Map();
  window.__elderscanElements = registry;
  const selectorOf = (el) => {
    const selector = pathOf(el);
    const known = registry.get(selector);
    if (known === undefined) registry.set(selector, el);
    else if (known !== el) registry.set(selector, null);
    return selector;
  };
  // The DOM holds still during the pass, so an element's path, its step in a path and whether
  // an id is unique are worked out once: a page asks for the same ancestors hundreds of times
  // (every link of a 50-link column walks the column's siblings and queries its ids).
  const paths = new Map(), steps = new Map(), idCounts = new Map();
  const uniqueId = (id) => {
    let n = idCounts.get(id);
    if (n === undefined) { n = document.querySelectorAll('#' + cssEscape(id)).length; idCounts.set(id, n); }
    return n === 1;
  };
  const stepOf = (node, tag) => {
    let step = steps.get(node);
    if (step === undefined) {
      let index = 1, sib = node.previousElementSibling, same = false;
      while (sib) { if (sib.localName === tag) index++; sib = sib.previousElementSibling; }
      sib = node.nextElementSibling;
      while (sib && !same) { if (sib.localName === tag) same = true; sib = sib.nextElementSibling; }
      step = index > 1 || same ? `${tag}:nth-of-type(${index})` : tag;
      steps.set(node, step);
    }
    return step;
  };
  const pathOf = (el) => {
    let path = paths.get(el);
    if (path === undefined) { path = walkPath(el); paths.set(el, path); }
    return path;
  };
  const walkPath = (el) => {
    const parts = [];
    let node = el;
    while (node && node.nodeType === 1 && parts.length < 8) {
      if (node.id && uniqueId(node.id)) {
        parts.unshift('#' + cssEscape(node.id));
        return parts.join(' > ');
      }
      const tag = node.localName;
      if (tag === 'html' || tag === 'body') { parts.unshift(tag); if (tag === 'body') break; node = node.parentElement; continue; }
      parts.unshift(stepOf(node, tag));
      node = node.parentElement;
    }
    return parts.join(' > ');
  };

  // The parent, crossing out of a shadow root to its host.
  const parentOf = (el) => {
    if (el.parentElement) return el.parentElement;
    const root = el.getRootNode && el.getRootNode();
    return root && root.host ? root.host : null;
  };

  // A page uses a few dozen distinct colour strings for thousands of reads. A copy is handed
  // out because the caller may scale the alpha.
  const colors = new Map();
  const parseColor = (c) => {
    let parsed = colors.get(c);
    if (parsed === undefined) {
      const m = c && c.match(/rgba?\(([^)]+)\)/);
      const p = m ? m[1].split(/[\s,\/]+/).filter(Boolean).map(Number) : null;
      parsed = p ? [p[0], p[1], p[2], p.length > 3 ? p[3] : 1] : null;
      colors.set(c, parsed);
    }
    return parsed && parsed.slice();
  };
  const hasImage = (s) => s.backgroundImage && s.backgroundImage !== 'none';

  // A background image or gradient an element paints, its ::before/::after included (a hero's
  // photo is often a pseudo-element laid over a dark fallback colour). A pseudo-element that
  // lies under its element's text is positioned against it, so only positioned elements are
  // asked: a pseudo-element's style costs as much as an element's, and most are static.
  const pseudoImage = (el, which) => {
    const p = getComputedStyle(el, which);
    return p.content !== 'none' && p.content !== 'normal' && hasImage(p);
  };
  const paintsImage = (el) => {
    const s = style(el);
    if (hasImage(s)) return true;
    return s.position !== 'static' && (pseudoImage(el, '::before') || pseudoImage(el, '::after'));
  };

  // Background behind an element: its colour composited over its parent's, up to the first
  // opaque one (white above that). Each element is worked out once, from the nearest ancestor
  // already known, in the order of a walk from the element up to the opaque one, so the
  // arithmetic is the same as that walk's. `opaque` is the element whose colour ends the walk
  // (null: the page's white).
  const bgCache = new Map();
  const WHITE = { rgb: [255, 255, 255], image: false, opaque: null };
  const backdrop = (el) => {
    const chain = [];
    let below = WHITE;
    for (let node = el; node && node.nodeType === 1; node = parentOf(node)) {
      const known = bgCache.get(node);
      if (known) { below = known; break; }
      const c = parseColor(style(node).backgroundColor);
      chain.push([node, c]);
      if (c && c[3] >= 1) break;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const [node, c] = chain[i];
      let rgb = below.rgb;
      if (c && c[3] > 0) {
        const [r, g, b, a] = c;
        rgb = [r * a + rgb[0] * (1 - a), g * a + rgb[1] * (1 - a), b * a + rgb[2] * (1 - a)];
      }
      below = { rgb, image: paintsImage(node) || below.image,
        opaque: c && c[3] >= 1 ? node : below.opaque };
      bgCache.set(node, below);
    }
    return below;
  };
  const background = (el) => {
    const b = backdrop(el);
    return { rgb: b.rgb.map((v) => Math.round(v)), image: b.image, opaque: b.opaque };
  };

  // An <img>, <video>, <canvas> or background image under the text's centre, not an ancestor.
  const imageUnder = (el, r) => {
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x >= vw || y >= vh) return false;
    const stack = document.elementsFromPoint(x, y);
    // Only what lies below the text: a floating ad's image on top of it is not its background.
    const at = stack.indexOf(el);
    for (const other of at >= 0 ? stack.slice(at + 1) : stack) {
      if (other === el || other.contains(el)) continue;
      if (el.contains(other)) continue;
      const t = other.localName;
      if (t === 'img' || t === 'video' || t === 'canvas' || t === 'picture' || t === 'svg') return true;
      if (hasImage(style(other))) return true;
    }
    return false;
  };
  // The same question by geometry, for what hit testing misses: text below the first screen
  // and images that ignore the pointer (pointer-events: none). An image counts when it lies
  // under the text's centre inside the box whose opaque colour the DOM gives as the text's
  // background (so it paints over that colour); an image outside that box is covered by it.
  let pictures = null;
  const picturesOnPage = () => {
    if (pictures) return pictures;
    pictures = [];
    for (const p of document.querySelectorAll('body *')) {
      if (pictures.length >= 2000) break;
      const t = p.localName;
      const media = t === 'img' || t === 'video' || t === 'canvas' || t === 'svg';
      if (!media && !hasImage(style(p))) continue;
      const pr = p.getBoundingClientRect();
      if (pr.width * pr.height < 5000) continue;  // icons are not what text is set on
      if (p.checkVisibility && !p.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      pictures.push([p, pr]);
    }
    return pictures;
  };
  // A picture inside a fixed or z-indexed box that the text is not in is stacked above the
  // text (a 飘窗 drifting over a heading), not behind it.
  const stackedAbove = (p, el) => {
    for (let n = p; n && n.nodeType === 1 && !n.contains(el); n = parentOf(n)) {
      const s = style(n);
      if (s.position === 'fixed' || (s.position !== 'static' && parseInt(s.zIndex, 10) > 0)) return true;
    }
    return false;
  };
  const pictureBehind = (el, r, opaque) => {
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    for (const [p, pr] of picturesOnPage()) {
      if (x < pr.left || x > pr.right || y < pr.top || y > pr.bottom) continue;
      if (p === el || p.contains(el) || el.contains(p)) continue;
      if (opaque && (opaque === p || !opaque.contains(p))) continue;
      if (stackedAbove(p, el)) continue;
      return true;
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

  // The rectangle (viewport coordinates) an element's ancestors let it paint in: the boxes
  // of overflow:hidden/clip ancestors on its containing-block chain, and nothing at all under
  // an ancestor clipped to nothing (clip: rect(0 0 0 0), clip-path: inset(50%)). A scroll box
  // clips only when it is flat: its content is otherwise reachable by scrolling. Text a
  // collapsed drop-down (height 0, overflow hidden) holds is painted nowhere.
  const EVERYWHERE = [-Infinity, -Infinity, Infinity, Infinity];
  const NOWHERE = [0, 0, 0, 0];
  const clipCache = new Map();
  const clippedToNothing = (s) => s.clip === 'rect(0px, 0px, 0px, 0px)' ||
    /^inset\((50|100)%\)$/.test(s.clipPath) || /^circle\(0px/.test(s.clipPath);
  const ownClip = (node, s) => {
    if (clippedToNothing(s)) return NOWHERE;
    const cut = (v, flat) => v === 'hidden' || v === 'clip' || ((v === 'auto' || v === 'scroll') && flat);
    const nr = node.getBoundingClientRect();
    const cx = cut(s.overflowX, nr.width < 1), cy = cut(s.overflowY, nr.height < 1);
    if (!cx && !cy) return EVERYWHERE;
    return [cx ? nr.left : -Infinity, cy ? nr.top : -Infinity, cx ? nr.right : Infinity, cy ? nr.bottom : Infinity];
  };
  const meet = (a, b) => (a === EVERYWHERE ? b : b === EVERYWHERE ? a :
    [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])]);
  // What an element lets its in-flow content paint in: its own clip within its ancestors'.
  // Worked out once per element: a page asks for the same containers thousands of times.
  const contentClip = (node) => {
    let known = clipCache.get(node);
    if (!known) { known = meet(clipOf(node), ownClip(node, style(node))); clipCache.set(node, known); }
    return known;
  };
  const clipOf = (el) => {
    const s = style(el);
    if (s.position === 'fixed') return EVERYWHERE;
    let p = parentOf(el);
    if (s.position === 'absolute') {
      while (p && p.nodeType === 1 && p !== document.body && style(p).position === 'static') p = parentOf(p);
    }
    if (!p || p.nodeType !== 1 || p === document.body || p === document.documentElement) return EVERYWHERE;
    return contentClip(p);
  };
  // Less than a third of the text's box left on show: a reader does not see it.
  const clippedAway = (el, r) => {
    const c = clipOf(el);
    if (c === EVERYWHERE) return false;
    const w = Math.max(0, Math.min(r.right, c[2]) - Math.max(r.left, c[0]));
    const h = Math.max(0, Math.min(r.bottom, c[3]) - Math.max(r.top, c[1]));
    return w * h < (r.width * r.height) / 3;
  };
  // Entirely left of or above the document: moved off screen to hide it.
  const offDocument = (r) => r.right + sx <= 0 || r.bottom + sy <= 0;

  // ---- text runs -------------------------------------------------------------------------
  const skipTags = new Set(['script', 'style', 'noscript', 'template', 'title', 'head', 'option']);
  const groups = new Map();
  const addText = (tn, parent) => {
    if (!/\S/.test(tn.data) || !parent || skipTags.has(parent.localName)) return;
    let list = groups.get(parent);
    if (!list) { list = []; groups.set(parent, list); }
    list.push(tn);
  };
  // Text in the light DOM and in open shadow roots (web components carry real content).
  const walkRoot = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    let node = walker.currentNode;
    while (node) {
      if (node.nodeType === 3) addText(node, node.parentElement || (node.parentNode && node.parentNode.host));
      else if (node.shadowRoot) walkRoot(node.shadowRoot);
      node = walker.nextNode();
    }
  };
  walkRoot(document.body || document.documentElement);

  // Text of a disabled control, or of a label or group that belongs to one, is exempt (WCAG).
  const disabledOf = (el) => {
    for (let n = el; n; n = parentOf(n)) {
      if (n.getAttribute && n.getAttribute('aria-disabled') === 'true') return true;
      if (n.matches && n.matches(':disabled')) return true;
      if (n.localName === 'label') {
        const control = n.control;
        if (control && (control.disabled || control.closest('[aria-disabled="true"],fieldset:disabled'))) return true;
      }
      if (n.id) {
        const owner = document.querySelector(`[aria-labelledby~="${CSS.escape(n.id)}"]`);
        if (owner && (owner.getAttribute('aria-disabled') === 'true' || owner.disabled)) return true;
      }
    }
    return false;
  };
  // Whether an element and all its ancestors are fully opaque, as most are: worked out once
  // per element; only text under a translucent box multiplies the opacities up the tree.
  const opaqueUp = new Map();
  const fullyOpaque = (el) => {
    const chain = [];
    let result = true;
    for (let n = el; n && n.nodeType === 1; n = parentOf(n)) {
      const known = opaqueUp.get(n);
      if (known !== undefined) { result = known; break; }
      chain.push(n);
      if (parseFloat(style(n).opacity || '1') !== 1) { result = false; break; }
    }
    for (const n of chain) opaqueUp.set(n, result);
    return result;
  };
  const opacityOf = (el) => {
    if (fullyOpaque(el)) return 1;
    let o = 1;
    for (let n = el; n && n.nodeType === 1; n = parentOf(n)) o *= parseFloat(style(n).opacity || '1');
    return o;
  };
  // A blurred text-shadow hugs the glyphs: what the eye sees next to the text is the shadow.
  const huggingShadow = (s) => {
    if (!s.textShadow || s.textShadow === 'none') return null;
    const m = s.textShadow.match(/(rgba?\([^)]+\))\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+([\d.]+)px/);
    if (!m) return null;
    const [x, y, blur] = [Math.abs(parseFloat(m[2])), Math.abs(parseFloat(m[3])), parseFloat(m[4])];
    return blur > 0 && x <= blur && y <= blur ? parseColor(m[1]) : null;
  };

  const textRuns = [];
  let truncated = false;
  for (const [el, nodes] of groups) {
    if (textRuns.length >= opts.maxTextRuns) { truncated = true; break; }
    const range = document.createRange();
    range.setStartBefore(nodes[0]);
    range.setEndAfter(nodes[nodes.length - 1]);
    const r = range.getBoundingClientRect();
    if (!visible(el, r) || offDocument(r) || clippedAway(el, r)) continue;
    const s = style(el);
    const color = parseColor(s.color);
    if (!color || color[3] === 0) continue;
    color[3] = Math.round(color[3] * opacityOf(el) * 1000) / 1000;
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
      background: bg.rgb, over_image: bg.image || imageUnder(el, r) || pictureBehind(el, r, bg.opaque),
      box: box(r),
      in_first_screen: firstScreen(r), landmark: landmarkOf(el),
      disabled: disabledOf(el), shadow: huggingShadow(s),
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
  const closeRe = /^(×|✕|✖|╳|x|X|关闭|关 闭|close|Close|CLOSE|跳过|我知道了)$/;
  const closeNameRe = /关闭|關閉|close|dismiss|跳过/i;
  const closeClassRe = /close|guanbi|dismiss/i;
  const clickable = 'a,button,[role=button],[onclick],[tabindex]';
  // What a close control shows: its name, its image's alt, or a ×/✕ drawn by CSS (::before,
  // ::after content) where the element has no text of its own.
  const closeLabel = (c) => {
    const named = fold(c.getAttribute('aria-label') || c.getAttribute('title'));
    if (named) return named;
    const text = fold(c.textContent);
    if (text) return text;
    const img = c.localName === 'img' ? c : c.querySelector('img[alt]');
    if (img && fold(img.getAttribute('alt'))) return fold(img.getAttribute('alt'));
    for (const pseudo of ['::before', '::after']) {
      const content = getComputedStyle(c, pseudo).content;
      if (content && content !== 'none' && content !== 'normal') {
        const drawn = fold(content.replace(/^["']|["']$/g, ''));
        if (drawn) return drawn;
      }
    }
    return '';
  };
  const shownBox = (c) => {
    const cr = c.getBoundingClientRect();
    return cr.width >= 2 && cr.height >= 2 && visible(c, cr) ? cr : null;
  };
  // The control that closes an overlay: a visible element showing ×/✕/关闭 (as text, a name,
  // an image's alt or CSS content), named like close (aria-label 关闭广告), or classed like it
  // (a click target holding it, when it is an image or an icon, stands for it); else an icon
  // button with no text in a top corner of the box. Hidden look-alikes are passed over.
  const closeOf = (el, r) => {
    for (const c of el.querySelectorAll('a,button,span,i,em,b,div,img,svg,[role=button],[class*=close],[id*=close],[aria-label],[title]')) {
      if (c.children.length > 2 && c.localName !== 'svg') continue;
      const label = closeLabel(c);
      const cls = (typeof c.className === 'string' ? c.className : (c.getAttribute('class') || '')) + ' ' + (c.id || '');
      const named = fold(c.getAttribute('aria-label') || c.getAttribute('title') || (c.localName === 'img' ? c.getAttribute('alt') : ''));
      if (!(closeRe.test(label) || closeNameRe.test(named) || closeClassRe.test(cls))) continue;
      const target = (c.localName === 'img' || c.localName === 'svg' || c.localName === 'i')
        ? (c.closest(clickable) && el.contains(c.closest(clickable)) ? c.closest(clickable) : c) : c;
      if (shownBox(target)) return target;
    }
    for (const c of el.querySelectorAll('a,button,[role=button]')) {
      const href = c.localName === 'a' ? (c.getAttribute('href') || '') : '';
      if (fold(c.textContent) || (href && !/^(#|javascript:)/i.test(href))) continue;
      const cr = shownBox(c);
      if (!cr || cr.width > 64 || cr.height > 64) continue;
      const nearTop = cr.top - r.top <= Math.max(48, r.height * 0.2);
      const nearSide = cr.left - r.left <= 48 || r.right - cr.right <= 48;
      if (nearTop && nearSide) return c;
    }
    return null;
  };
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
    const closeEl = closeOf(el, r);
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
      close_label: closeEl ? cut(closeLabel(closeEl), 40) || null : null,
    });
  }

  // ---- frames, media, links, document facts --------------------------------------------
  const iframes = Array.from(document.querySelectorAll('iframe,frame')).map((f) => {
    const r = f.getBoundingClientRect();
    let cross = false;
    try { cross = !f.contentDocument; } catch (e) { cross = true; }
    // The page the frame shows: a script may have sent it elsewhere than its src
    // (frames.main.location = …); the src stands while nothing has loaded there yet.
    let url = f.src || '';
    if (!cross) {
      try {
        const here = f.contentWindow.location.href;
        if (here && here !== 'about:blank') url = here;
      } catch (e) {}
    }
    return { url, name: f.getAttribute('name'), title: f.getAttribute('title'),
      selector: selectorOf(f), box: box(r), cross_origin: cross, tag: f.localName };
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
  // A frame shows a page of its own that readers read: a frameset's frames, and an iframe the
  // size of content (not a widget or a tracker), are followed as links are; the crawl keeps
  // to the site.
  for (const f of document.querySelectorAll('frame[src],iframe[src]')) {
    const r = f.getBoundingClientRect();
    if (f.localName === 'iframe' && (r.width < FRAME_PAGE_PX[0] || r.height < FRAME_PAGE_PX[1])) continue;
    try { links.push(new URL(f.getAttribute('src'), document.baseURI).href); } catch (e) {}
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
  // stylesheet (WCAG 1.4.12). Each declaration is judged on the text that inherits it: the
  // visible text nodes whose nearest such declaration is this one (as the ACT rules do).
  const spacing = [];
  const spacingProps = ['letter-spacing', 'word-spacing', 'line-height'];
  const owner = (el, prop) => {
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      if (n.style && n.style.getPropertyPriority(prop) === 'important') return n;
    }
    return null;
  };
  for (const el of document.querySelectorAll('[style*="important" i]')) {
    if (spacing.length >= 300) break;
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml') continue;
    for (const prop of spacingProps) {
      if (el.style.getPropertyPriority(prop) !== 'important') continue;
      const declared = el.style.getPropertyValue(prop).trim();
      let worst = null, visibleText = false, lines = 0;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let tn;
      while ((tn = walker.nextNode())) {
        const parent = tn.parentElement;
        if (!/\S/.test(tn.data) || !parent || owner(parent, prop) !== el) continue;
        const range = document.createRange();
        range.selectNodeContents(tn);
        const rects = Array.from(range.getClientRects()).filter((x) => x.width > 0 && x.height > 0);
        if (!rects.length || !visible(parent, parent.getBoundingClientRect())) continue;
        const onScreen = rects.some((x) => x.right + sx > 0 && x.bottom + sy > 0);
        if (!onScreen) continue;
        visibleText = true;
        lines = Math.max(lines, new Set(rects.map((x) => Math.round(x.top))).size);
        const ps = style(parent);
        const fontPx = parseFloat(ps.fontSize);
        const raw = ps.getPropertyValue(prop);
        const value = raw === 'normal' ? (prop === 'line-height' ? null : 0) : parseFloat(raw);
        const ratio = value === null ? null : value / fontPx;
        if (worst === null || (ratio ?? 0) < (worst.ratio ?? 0)) worst = { ratio, value, fontPx };
      }
      spacing.push({
        selector: selectorOf(el), property: prop, declared,
        computed_px: worst ? worst.value : null, font_px: worst ? worst.fontPx : parseFloat(style(el).fontSize),
        ratio: worst ? worst.ratio : null, has_text: visibleText, visible: visibleText, lines,
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
    document_url: document.URL,  // page.url can lag behind a self-navigation
    document_size: [Math.ceil(Math.max(de.scrollWidth, document.body ? document.body.scrollWidth : 0)),
      Math.ceil(Math.max(de.scrollHeight, document.body ? document.body.scrollHeight : 0))],
    text_runs: textRuns, text_runs_truncated: truncated, interactive, overlays, iframes, media, links,
    images, scripts, spacing,
    dialogs: seen.dialogs || [],
    collect_ms: performance.now() - started,
  };
}
