// Before page scripts run: remember which elements get a click handler, so a
// <span id="slh">长者助手</span> wired up by a script is a candidate like a link.
(() => {
  const add = EventTarget.prototype.addEventListener;
  const marked = new WeakSet();
  Object.defineProperty(window, '__elderscanClicked', { value: (el) => marked.has(el) });
  EventTarget.prototype.addEventListener = function (type, fn, opts) {
    if ((type === 'click' || type === 'mousedown' || type === 'mouseup' || type === 'touchstart') && this instanceof Element) marked.add(this);
    return add.call(this, type, fn, opts);
  };
})();
