// The page's script (served as /assets/app.js): renders each view of the event stream with textContent only
// (the timeline is the server's escaped SVG), and offers standby/takeover when the page was opened with the token.
export const CLIENT_JS = String.raw`'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };
  function cell(tr, text, cls) { var td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); return td; }
  function fill(tbody, rows) {
    while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
    rows.forEach(function (r) { var tr = document.createElement('tr'); r.forEach(function (c) { cell(tr, c[0], c[1]); }); tbody.appendChild(tr); });
  }
  function badge(id, text, cls) { var b = $(id); b.textContent = text; b.className = 'badge ' + (cls || ''); }
  function ms(x) { return x === undefined || x === null ? '?' : x < 1000 ? Math.round(x) + ' ms' : (x / 1000).toFixed(2) + ' s'; }
  function list(ul, items) {
    while (ul.firstChild) ul.removeChild(ul.firstChild);
    items.forEach(function (t) { var li = document.createElement('li'); li.textContent = t; ul.appendChild(li); });
  }
  function render(v) {
    $('node').textContent = v.node ? 'on ' + v.node : '';
    badge('daemon', v.daemonUp ? 'daemon up' : 'daemon not answering', v.daemonUp ? 'ok' : 'bad');
    badge('comm', v.commUp ? 'all nodes heard' : 'not all nodes heard', v.commUp ? 'ok' : 'warn');
    badge('dc', 'DC: ' + (v.dc || 'none (haresources)'));
    badge('quorum', 'quorum: ' + (v.quorum === null ? 'n/a' : v.quorum ? 'yes' : 'no'));
    fill($('nodes').tBodies[0], v.nodes.map(function (n) {
      var links = n.self ? 'this node' : n.links.map(function (l) { return l.name + ' ' + l.status; }).join(', ');
      return [[n.name + (n.self ? ' (this node)' : '')], [n.status, 'st-' + n.status], [links], [String(n.lateHeartbeats)]];
    }));
    var r = v.resources;
    $('rscstatus').textContent = r.mode === 'haresources' ? 'haresources, rscstatus ' + r.rscstatus : r.mode === 'crm' ? 'crm on' : 'none (membership only)';
    fill($('resources').tBodies[0], r.resources.map(function (g) {
      var where = g.nodes && g.nodes.length > 1 ? g.nodes.join(' and ') : (g.heldBy || 'nobody');
      if (r.mode === 'crm') return [[g.group ? g.group + ' / ' + g.id : g.id], [g.line], [g.failed ? 'FAILED' : g.managed ? '' : 'unmanaged'], [where, g.failed ? 'st-dead' : g.heldBy ? 'st-up' : 'st-dead'], [String(g.failCount)]];
      return [[g.id], [g.line], [g.preferredNode], [where, g.heldBy ? 'st-up' : 'st-dead'], [String(g.failCount)]];
    }));
    $('timeline').innerHTML = v.timeline;
    list($('failovers'), v.failovers.map(function (f) {
      return f.node + ' declared dead at ' + new Date(f.deadAt).toISOString().slice(11, 23) + ': detection ' + ms(f.detectionMs) +
        (f.doneAt !== undefined ? ', takeover ' + ms(f.takeoverMs) : ', no takeover (yet)');
    }));
    list($('warnings'), v.warnings.map(function (e) { return new Date(e.at).toISOString().slice(11, 19) + ' ' + e.code + ' ' + e.text; }));
    fill($('counters').tBodies[0], Object.keys(v.counters).sort().map(function (k) { return [[k], [String(v.counters[k])]]; }));
    document.body.setAttribute('data-updated', String(v.updatedAt));
  }
  var es = new EventSource('/api/v1/events/stream');
  es.addEventListener('view', function (m) { $('conn').textContent = ''; render(JSON.parse(m.data)); });
  es.onerror = function () { $('conn').textContent = 'stream lost, reconnecting…'; };
  // Actions: only when the page was opened with the token over TLS (the CSRF token is handed out then).
  if (location.protocol === 'https:') {
    fetch('/api/v1/csrf', { credentials: 'same-origin' }).then(function (a) { return a.ok ? a.json() : null; }).then(function (c) {
      if (!c) return;
      $('actions').hidden = false;
      Array.prototype.forEach.call(document.querySelectorAll('button[data-action]'), function (b) {
        b.addEventListener('click', function () {
          fetch('/api/v1/actions/' + b.getAttribute('data-action'), { method: 'POST', credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': c.csrf }, body: JSON.stringify({ which: 'all' }) })
            .then(function (a) { return a.json().then(function (j) { $('action-result').textContent = a.ok ? 'sent' : j.error.message; }); });
        });
      });
    });
  }
})();
`;
