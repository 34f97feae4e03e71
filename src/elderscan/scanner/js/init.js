// Runs before any page script, in every frame. Two jobs:
// 1. remember when elements were added or shown, so the collector can tell a pop-up that
//    appeared after load from furniture that was in the HTML;
// 2. turn alert/confirm/prompt into no-ops that only record their text, so a dialog storm
//    cannot stall the page (the driver still dismisses any dialog that gets through).
(() => {
  if (window.__elderscan) return;
  const state = { added: new WeakMap(), shown: new WeakMap(), dialogs: [] };
  Object.defineProperty(window, '__elderscan', { value: state, enumerable: false });
  const record = (msg) => { if (state.dialogs.length < 50) state.dialogs.push(String(msg).slice(0, 200)); };
  window.alert = function (m) { record(m); };
  window.confirm = function (m) { record(m); return false; };
  window.prompt = function (m) { record(m); return null; };
  const start = () => {
    const ready = document.readyState !== 'loading';
    const obs = new MutationObserver((list) => {
      if (document.readyState === 'loading') return;
      const now = performance.now();
      for (const m of list) {
        if (m.type === 'childList') {
          for (const n of m.addedNodes) if (n.nodeType === 1 && !state.added.has(n)) state.added.set(n, now);
        } else if (m.target.nodeType === 1) {
          state.shown.set(m.target, now);
        }
      }
    });
    obs.observe(document.documentElement, {
      childList: true, subtree: true, attributes: true,
      attributeFilter: ['style', 'class', 'hidden', 'open'],
    });
    return ready;
  };
  // Report the document's meta refresh declarations before one of them can replace the page
  // (a 0-second refresh fires right after load); the driver reads this console marker.
  document.addEventListener('DOMContentLoaded', () => {
    if (window.top !== window) return;
    const list = Array.from(document.querySelectorAll('meta[http-equiv="refresh" i]'))
      .map((m) => m.getAttribute('content') || '');
    if (list.length) console.debug('__elderscan:refresh:' + JSON.stringify(list));
  }, { once: true });
  if (document.documentElement) start();
  else document.addEventListener('readystatechange', start, { once: true });
})();
