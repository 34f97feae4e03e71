/* The round page follows its round: every few seconds it asks the status JSON and writes the
   new words into the table and the summary (an aria-live region announces the summary).
   Without JavaScript the page reloads itself instead (a <noscript> refresh). No animation. */
(function () {
  'use strict';
  var box = document.getElementById('round');
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute('data-status-url');
  var every = (parseInt(box.getAttribute('data-poll'), 10) || 5) * 1000;
  var lastSummary = null;

  function set(id, text) {
    var node = document.getElementById(id);
    if (node && node.textContent !== text) {
      node.textContent = text;
    }
  }

  function apply(data) {
    set('round-status', data.status_text);
    if (data.summary !== lastSummary) {
      set('round-summary', data.summary);
      lastSummary = data.summary;
    }
    var bar = document.getElementById('round-bar');
    var finished = 0;
    data.sites.forEach(function (site) {
      if (site.status === 'done' || site.status === 'failed' || site.status === 'cancelled') {
        finished += 1;
      }
      var row = box.querySelector('tr[data-scan="' + site.scan_id + '"]');
      if (!row) {
        return;
      }
      row.setAttribute('data-status', site.status);
      row.querySelector('.status').textContent = site.status_text;
      row.querySelector('.reason').textContent = site.reason || '\u2014';
      var score = row.querySelector('.score');
      if (site.score !== null && !score.querySelector('a')) {
        var link = document.createElement('a');
        link.href = '/scans/' + site.scan_id + window.location.search;
        link.textContent = site.score;
        score.textContent = '';
        score.appendChild(link);
      }
    });
    if (bar) {
      bar.value = finished;
    }
    if (data.finished) {
      box.setAttribute('data-finished', 'true');
      ['finished-note', 'again-form'].forEach(function (id) {
        var node = document.getElementById(id);
        if (node) { node.hidden = false; }
      });
      ['auto-note', 'cancel-form'].forEach(function (id) {
        var node = document.getElementById(id);
        if (node) { node.hidden = true; }
      });
    }
  }

  function poll() {
    if (box.getAttribute('data-finished') === 'true') {
      return;
    }
    fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data) { apply(data); }
      })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { window.setTimeout(poll, every); });
  }

  window.setTimeout(poll, every);
})();
