(() => {
  // Counters of every way a page can make sound, and the elements that got a click handler
  // (an image-only read-aloud widget has no text, name or role: its handler is what makes it
  // a control). `__elderscanVoiceSignal`, when the probe exposes it, ends the probe's wait the
  // moment sound starts or stops instead of after a fixed timer.
  const v = { speak: 0, cancel: 0, pause: 0, play: 0, media_pause: 0, webaudio: 0, texts: [] };
  const clicky = new WeakSet();
  Object.defineProperty(window, '__elderscanVoice', { value: v, enumerable: false });
  Object.defineProperty(window, '__elderscanClicky', { value: clicky, enumerable: false });
  const signal = (what) => {
    try { if (typeof window.__elderscanVoiceSignal === 'function') window.__elderscanVoiceSignal(what); }
    catch (e) { /* the probe is gone */ }
  };
  const wrap = (proto, name, counter, after) => {
    if (!proto || typeof proto[name] !== 'function') return;
    const orig = proto[name];
    proto[name] = function (...args) {
      v[counter]++;
      if (after) after(args);
      signal(counter);
      try { const r = orig.apply(this, args); if (r && r.catch) r.catch(() => {}); return r; }
      catch (e) { return undefined; }
    };
  };
  if (window.SpeechSynthesis) {
    wrap(SpeechSynthesis.prototype, 'speak', 'speak', (a) => { if (a[0]) v.texts.push(String(a[0].text || '').slice(0, 80)); });
    wrap(SpeechSynthesis.prototype, 'cancel', 'cancel');
    wrap(SpeechSynthesis.prototype, 'pause', 'pause');
  }
  wrap(HTMLMediaElement.prototype, 'play', 'play');
  wrap(HTMLMediaElement.prototype, 'pause', 'media_pause');
  if (window.AudioScheduledSourceNode) wrap(AudioScheduledSourceNode.prototype, 'start', 'webaudio');
  const CLICKS = new Set(['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'touchstart', 'touchend']);
  const add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, ...rest) {
    if (CLICKS.has(type) && this instanceof Element) clicky.add(this);
    return add.call(this, type, ...rest);
  };
})();
