(() => {
  const v = { speak: 0, cancel: 0, pause: 0, play: 0, media_pause: 0, webaudio: 0, texts: [] };
  Object.defineProperty(window, '__elderscanVoice', { value: v, enumerable: false });
  const wrap = (proto, name, counter, after) => {
    if (!proto || typeof proto[name] !== 'function') return;
    const orig = proto[name];
    proto[name] = function (...args) {
      v[counter]++;
      if (after) after(args);
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
})();
