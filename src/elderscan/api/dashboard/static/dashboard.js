/* Read-aloud (语音朗读) with the browser's own speech synthesis. The buttons stay hidden where
   speechSynthesis is missing, so nobody is offered a control that cannot speak. */
(function () {
  'use strict';
  var start = document.getElementById('read-aloud');
  var stop = document.getElementById('read-stop');
  if (!start || !stop || !('speechSynthesis' in window)) {
    return;
  }
  var synth = window.speechSynthesis;
  var lang = document.documentElement.lang || 'zh-CN';
  var selected = '';
  var MAX = 160;

  /* Chromium stops long utterances after about 15 s: speak sentence-sized pieces in turn. */
  function pieces(text) {
    var sentences = text.replace(/\s+/g, ' ').match(/[^。！？!?；;]+[。！？!?；;]?/g) || [];
    var out = [];
    var current = '';
    sentences.forEach(function (sentence) {
      if ((current + sentence).length > MAX && current) {
        out.push(current);
        current = '';
      }
      while (sentence.length > MAX) {
        out.push(sentence.slice(0, MAX));
        sentence = sentence.slice(MAX);
      }
      current += sentence;
    });
    if (current.trim()) {
      out.push(current);
    }
    return out;
  }

  function selection() {
    var picked = window.getSelection ? String(window.getSelection()) : '';
    return picked.trim();
  }

  /* Pressing the button may clear the selection before the click arrives: remember it. */
  start.addEventListener('pointerdown', function () {
    selected = selection();
  });

  start.addEventListener('click', function () {
    var text = selected || selection();
    selected = '';
    if (!text) {
      var main = document.getElementById('main') || document.body;
      text = main.innerText;
    }
    synth.cancel();
    pieces(text).forEach(function (piece) {
      var utterance = new SpeechSynthesisUtterance(piece);
      utterance.lang = lang;
      utterance.rate = 0.9;
      synth.speak(utterance);
    });
  });

  stop.addEventListener('click', function () {
    synth.cancel();
  });

  start.hidden = false;
  stop.hidden = false;
})();

/* The ranking page's print button: shown only where a script can print (print CSS keeps only
   the ranking and its summary). */
(function () {
  'use strict';
  var button = document.getElementById('print-ranking');
  if (!button || typeof window.print !== 'function') {
    return;
  }
  button.hidden = false;
  button.addEventListener('click', function () {
    window.print();
  });
}());
