// Content that changes by itself (carousels, tickers, marquees). 'start' installs an observer
// and an interval on the page's own (fake) clock that closes one time step every `stepMs`, so
// the whole window runs in one clock step; 'end' reports elements that changed in several steps.
// Boxes placed against the page or the viewport (fixed, or absolute with no positioned
// ancestor) have their position sampled at each step too: a 飘窗 that drifts across the screen
// is told from a carousel by its box travelling, not by its markup changing.
// A timer that sends the page elsewhere (`location.href = …`) only starts a navigation: the
// old document may still answer 'end' before the new one replaces it, so a navigation to
// another http(s) document is noticed where it begins (the Navigation API's `navigate`;
// `pagehide` where that is missing) and 'end' answers { left: true, items } — the caller then
// waits to see whether the document is really replaced (a 204, a download or a script that
// intercepts the navigation leaves it in place).
(arg) => {
  const mode = typeof arg === 'string' ? arg : arg.mode;
  if (mode === 'start') {
    const state = { step: 0, seen: new Map(), floaters: new Map() };
    const placedOnPage = (el, s) => s.position === 'fixed' ||
      (s.position === 'absolute' && (!el.offsetParent || el.offsetParent === document.body ||
        el.offsetParent === document.documentElement));
    const area = innerWidth * innerHeight;
    for (const el of document.querySelectorAll('body *')) {
      if (state.floaters.size >= 60) break;
      const s = getComputedStyle(el);
      if (s.position !== 'fixed' && s.position !== 'absolute') continue;
      if (!placedOnPage(el, s)) continue;
      const r = el.getBoundingClientRect();
      if (r.width * r.height < 2500 || r.width * r.height > 0.3 * area) continue;
      state.floaters.set(el, { position: s.position, x: r.left + scrollX, y: r.top + scrollY,
        places: new Set([`${Math.round(r.left)},${Math.round(r.top)}`]), travel: 0 });
    }
    state.sample = () => {
      for (const [el, rec] of state.floaters) {
        if (!el.isConnected) continue;
        const r = el.getBoundingClientRect();
        if (r.width < 1) continue;
        rec.places.add(`${Math.round(r.left)},${Math.round(r.top)}`);
        rec.travel = Math.max(rec.travel, Math.hypot(r.left + scrollX - rec.x, r.top + scrollY - rec.y));
      }
    };
    const keyOf = (n) => {
      let el = n.nodeType === 1 ? n : n.parentElement;
      if (!el) return null;
      // A box placed on the page moves as itself, whatever its siblings are.
      if (state.floaters.has(el)) return el;
      const parent = el.parentElement;
      // Slides toggling one by one: report their container, not each slide.
      if (parent && parent.children.length > 1 &&
          Array.from(parent.children).filter((c) => c.localName === el.localName).length > 1) el = parent;
      return el;
    };
    state.handle = (list) => {
      for (const m of list) {
        const el = keyOf(m.target);
        if (!el || el === document.body || el === document.documentElement) continue;
        let rec = state.seen.get(el);
        if (!rec) { rec = new Set(); state.seen.set(el, rec); }
        rec.add(state.step);
      }
    };
    state.observer = new MutationObserver(state.handle);
    state.observer.observe(document.documentElement, {
      subtree: true, childList: true, attributes: true, attributeFilter: ['style', 'class', 'src', 'hidden'],
    });
    state.left = false;
    const leaving = (e) => {
      if (!e.destination.sameDocument && !e.downloadRequest &&
          /^https?:/i.test(e.destination.url)) state.left = true;
    };
    if (window.navigation) navigation.addEventListener('navigate', leaving);
    addEventListener('pagehide', () => { state.left = true; });
    window.__elderscanMotion = state;
    state.timer = setInterval(() => {
      state.handle(state.observer.takeRecords()); state.sample(); state.step++;
    },
      arg.stepMs || 1000);
    return true;
  }
  const state = window.__elderscanMotion;
  if (!state) return null;
  state.handle(state.observer.takeRecords());
  state.observer.disconnect();
  clearInterval(state.timer);
  const out = [];
  const pauseRe = /暂停|停止|pause|stop/i;
  const describe = (el) => {
    if (el.id) return '#' + CSS.escape(el.id);
    let i = 1, sib = el.previousElementSibling;
    while (sib) { if (sib.localName === el.localName) i++; sib = sib.previousElementSibling; }
    const parent = el.parentElement;
    return (parent && parent !== document.body ? describe(parent) + ' > ' : 'body > ') + `${el.localName}:nth-of-type(${i})`;
  };
  const hasPause = (el) => {
    // The moving box itself, or a small wrapper that holds it with its controls.
    const parent = el.parentElement;
    const scope = parent && parent !== document.body && parent.children.length <= 4 ? parent : el;
    for (const c of scope.querySelectorAll('button,a,[role=button],[class*=pause],[class*=stop]')) {
      const label = (c.getAttribute('aria-label') || c.title || c.textContent || '') + ' ' + (typeof c.className === 'string' ? c.className : '');
      if (pauseRe.test(label)) return true;
    }
    return false;
  };
  state.sample();
  // The DOM pass's selector for the same element (collect.js's registry), so a rule can match
  // a moving box with the overlay it saw.
  const domSelector = new Map();
  for (const [sel, el] of window.__elderscanElements || []) if (el) domSelector.set(el, sel);
  const drifting = [];
  for (const [el, rec] of state.floaters) {
    if (rec.places.size < 3 || rec.travel < 20 || !el.isConnected) continue;
    if (el.checkVisibility && !el.checkVisibility({ checkVisibilityCSS: true })) continue;
    drifting.push(el);
  }
  const candidates = Array.from(state.seen.entries()).filter(([el, steps]) => steps.size >= 2 && el.isConnected);
  for (const [el, steps] of candidates) {
    if (candidates.some(([other]) => other !== el && other.contains(el))) continue;
    if (drifting.some((d) => el.contains(d) || d.contains(el))) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 100 || r.height < 40) continue;
    if (el.checkVisibility && !el.checkVisibility({ checkVisibilityCSS: true })) continue;
    out.push({ selector: describe(el), box: [r.left + scrollX, r.top + scrollY, r.width, r.height],
      changes: steps.size, window_ms: 0, pause_control: hasPause(el) });
    if (out.length >= 20) break;
  }
  for (const el of drifting.slice(0, 20)) {
    const r = el.getBoundingClientRect(), rec = state.floaters.get(el);
    out.push({ selector: describe(el), box: [r.left + scrollX, r.top + scrollY, r.width, r.height],
      changes: Math.max(rec.places.size - 1, (state.seen.get(el) || new Set()).size), window_ms: 0,
      pause_control: hasPause(el), position: rec.position, travel_px: Math.round(rec.travel),
      dom_selector: domSelector.get(el) || null });
  }
  for (const m of document.querySelectorAll('marquee')) {
    const r = m.getBoundingClientRect();
    if (r.width < 1) continue;
    out.push({ selector: describe(m), box: [r.left + scrollX, r.top + scrollY, r.width, r.height],
      changes: state.step, window_ms: 0, pause_control: hasPause(m) });
  }
  return state.left ? { left: true, items: out } : out;
}
