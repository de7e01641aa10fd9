(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('data').textContent);
  var R = data.regions, C = data.checks, A = data.accounts, K = data.clusters;
  var CLASS = ['absent', 'ok', 'failing', 'unverified', 'accepted'];
  var LABEL = ['—', 'OK', 'FAIL', 'N/V', 'ACC'];
  var VERDICT = ['not judged', 'COMPLIANT', 'NON_COMPLIANT', 'NON_COMPLIANT (unverified)', 'NON_COMPLIANT (accepted under an exception)'];
  var CODE = {compliant: 1, failing: 2, unverified: 3, accepted: 4};
  function $(id) { return document.getElementById(id); }
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }
  function within(ou, wanted) { return !!ou && (ou === wanted || ou.indexOf(wanted + '/') === 0); }

  // What each account-region holds, found once: checks by Region, text to search.
  A.forEach(function (a) {
    a.byRegion = {};
    Object.keys(a.f).forEach(function (key) {
      a.byRegion[key] = a.f[key].f.map(function (f) { return f[0]; });
    });
    a.text = (a.id + ' ' + a.name + ' ' + (a.ou || '') + ' ' + a.a).toLowerCase();
  });
  function cellOf(a, ri) { return a.f[ri] || a.f['*']; }
  function checksAt(a, ri) {
    if (ri < 0) {
      var all = [];
      Object.keys(a.byRegion).forEach(function (k) { all = all.concat(a.byRegion[k]); });
      return all;
    }
    return a.byRegion[ri] || a.byRegion['*'] || [];
  }

  // --- the grid ---------------------------------------------------------------------------------
  function renderGrid() {
    var head = ['<tr><th class="acct" scope="col">Account <small>name · OU</small></th>'];
    R.forEach(function (r, i) { head.push('<th class="region" scope="col" data-col="' + i + '">' + esc(r) + '</th>'); });
    $('grid-head').innerHTML = head.join('') + '</tr>';
    var rows = [];
    A.forEach(function (a, ai) {
      rows.push('<tr data-account="' + esc(a.id) + '" data-row="' + ai + '"><th class="acct" scope="row"><a href="#account-' +
        esc(a.id) + '">' + esc(a.id) + '</a><small>' + esc(a.name) + (a.ou ? ' · ' + esc(a.ou) : '') + '</small></th>');
      for (var ri = 0; ri < R.length; ri++) {
        var v = a.c[ri];
        var info = v === 1 && cellOf(a, ri) ? ' info' : '';
        rows.push('<td data-col="' + ri + '"><button type="button" tabindex="-1" class="cell ' + CLASS[v] + info +
          '" data-region="' + esc(R[ri]) + '" data-verdict="' + CLASS[v] + '"' + (v === 0 ? ' disabled' : '') +
          ' title="' + esc(a.id + ' ' + R[ri]) + ': ' + VERDICT[v] + '">' + LABEL[v] + '</button></td>');
      }
      rows.push('</tr>');
    });
    $('grid-body').innerHTML = rows.join('');
    var first = $('grid-body').querySelector('button.cell:not([disabled])');
    if (first) first.tabIndex = 0;
  }

  function findingsHtml(cell) {
    if (!cell || !cell.f.length) return '<p>No findings: recorder recording, deliveries succeeding.</p>';
    return cell.f.map(function (f) {
      var check = C[f[0]];
      var ev = Object.keys(f[3]).map(function (k) { return '<li><code>' + esc(k) + '</code>: ' + esc(f[3][k]) + '</li>'; });
      return '<div class="finding"><strong>' + esc(f[1]) + '</strong> <code>' + esc(check.id) + '</code> ' + esc(f[2]) +
        (ev.length ? '<ul class="evidence">' + ev.join('') + '</ul>' : '') +
        '<p class="fix">fix: ' + esc(check.remediation) + '</p></div>';
    }).join('');
  }

  var returnFocus = null;
  function showDetail(html, from) {
    returnFocus = from || null;
    $('detail-body').innerHTML = html;
    $('detail').hidden = false;
  }
  function closeDetail() {
    $('detail').hidden = true;
    var pressed = document.querySelector('.cell[aria-pressed=true]');
    if (pressed) pressed.removeAttribute('aria-pressed');
    if (returnFocus) returnFocus.focus();
  }
  function showCell(button) {
    var ai = +button.closest('tr').dataset.row, ri = +button.closest('td').dataset.col, a = A[ai];
    var pressed = document.querySelector('.cell[aria-pressed=true]');
    if (pressed) pressed.removeAttribute('aria-pressed');
    button.setAttribute('aria-pressed', 'true');
    var cell = cellOf(a, ri);
    showDetail('<h2>' + esc(a.id) + ' ' + esc(R[ri]) + ' &mdash; ' + VERDICT[a.c[ri]] + '</h2>' +
      (cell ? '<p class="annotation">' + esc(cell.a) + '</p>' : '') + findingsHtml(cell), button);
  }
  function showAccount(id) {
    var a = A.filter(function (x) { return x.id === id; })[0];
    if (!a) return;
    var healthy = [], parts = [];
    if (a.f['*']) parts.push('<h3>every Region</h3>' + findingsHtml(a.f['*']));
    R.forEach(function (r, ri) {
      if (a.f[ri]) parts.push('<h3>' + esc(r) + ' &mdash; ' + VERDICT[a.c[ri]] + '</h3><p class="annotation">' + esc(a.f[ri].a) + '</p>' + findingsHtml(a.f[ri]));
      else if (a.c[ri] === 1) healthy.push(r);
    });
    if (healthy.length) parts.push('<p>Healthy, no findings: ' + healthy.map(esc).join(', ') + '</p>');
    showDetail('<h2 id="account-detail">' + esc(a.id) + (a.name ? ' ' + esc(a.name) : '') + ' &mdash; ' + esc(a.v) + '</h2>' +
      (a.ou ? '<p class="meta">OU ' + esc(a.ou) + '</p>' : '') + '<p class="annotation">' + esc(a.a) + '</p>' + parts.join(''),
      document.activeElement);
  }

  // Arrow keys move between cells (one tab stop for the whole grid); Enter or Space opens one.
  function moveFocus(from, key) {
    var tr = from.closest('tr'), td = from.closest('td');
    var rows = Array.prototype.filter.call($('grid-body').rows, function (r) { return !r.hidden; });
    var cols = Array.prototype.filter.call(tr.cells, function (c) { return c.tagName === 'TD' && c.offsetParent !== null; });
    var row = rows.indexOf(tr), col = cols.indexOf(td);
    if (key === 'ArrowRight') col = Math.min(col + 1, cols.length - 1);
    else if (key === 'ArrowLeft') col = Math.max(col - 1, 0);
    else if (key === 'ArrowDown') row = Math.min(row + 1, rows.length - 1);
    else if (key === 'ArrowUp') row = Math.max(row - 1, 0);
    else if (key === 'PageDown') row = Math.min(row + 10, rows.length - 1);
    else if (key === 'PageUp') row = Math.max(row - 10, 0);
    else if (key === 'Home') col = 0;
    else if (key === 'End') col = cols.length - 1;
    else return false;
    var target = rows[row] && rows[row].querySelector('td[data-col="' + cols[col].dataset.col + '"] button');
    if (target) {
      from.tabIndex = -1;
      target.tabIndex = 0;
      target.focus();
    }
    return true;
  }

  // --- root causes and OUs ------------------------------------------------------------------------
  function renderCauses() {
    if (!K.length) {
      $('causes').innerHTML = '<li>No failing account-region: nothing to group.</li>';
      return;
    }
    $('causes').innerHTML = K.map(function (k, i) {
      var check = C[k.k];
      var ev = Object.keys(k.ev).map(function (key) { return '<li><code>' + esc(key) + '</code>: ' + esc(k.ev[key]) + '</li>'; });
      return '<li data-cluster="' + i + '"><span class="badge ' + (k.sev === 'high' ? 'unverified' : 'failing') + '">' + esc(k.sev) +
        '</span> <span class="size">' + k.n + ' account-region(s) in ' + k.accounts + ' account(s)</span>: <code>' + esc(check.id) +
        '</code> ' + esc(k.cause) + (k.ous.length ? '<div class="meta">OU: ' + k.ous.map(esc).join(', ') + '</div>' : '') +
        '<p class="fix">fix: ' + esc(check.remediation) + '</p>' + (ev.length ? '<ul class="evidence">' + ev.join('') + '</ul>' : '') +
        '<details><summary>the ' + k.n + ' account-region(s)</summary><ul class="members"></ul></details></li>';
    }).join('');
    Array.prototype.forEach.call($('causes').querySelectorAll('details'), function (d) {
      d.addEventListener('toggle', function () {
        var list = d.querySelector('.members');
        if (!d.open || list.childElementCount) return;
        var k = K[+d.closest('li').dataset.cluster];
        list.innerHTML = k.m.map(function (m) {
          var a = A[m[0]];
          return '<li><a href="#account-' + esc(a.id) + '">' + esc(a.id) + '</a> ' + esc(m[1] < 0 ? 'every Region' : R[m[1]]) +
            (a.name ? ' <small>' + esc(a.name) + '</small>' : '') + '</li>';
        }).join('');
      });
    });
  }

  function renderOus() {
    var ous = {};
    A.forEach(function (a) {
      var ou = a.ou || '(OU not known)';
      var o = ous[ou] || (ous[ou] = {accounts: 0, failing: 0, unverified: 0, accepted: 0, compliant: 0, regions: 0});
      o.accounts++;
      o[a.v]++;
      o.regions += a.c.filter(function (v) { return v === 2 || v === 3; }).length;
    });
    var names = Object.keys(ous).sort(function (x, y) { return ous[y].failing - ous[x].failing || (x < y ? -1 : 1); });
    $('ous-body').innerHTML = names.map(function (ou) {
      var o = ous[ou];
      return '<tr data-ou="' + esc(ou) + '"><th scope="row"><button type="button" data-ou="' + esc(ou) + '">' + esc(ou) +
        '</button></th><td class="n">' + o.accounts + '</td><td class="n">' + o.failing + '</td><td class="n">' + o.unverified +
        '</td><td class="n">' + o.compliant + '</td><td class="n">' + o.regions + '</td></tr>';
    }).join('');
  }

  // --- filters ------------------------------------------------------------------------------------
  function fillFilters() {
    var ous = {};
    A.forEach(function (a) {
      if (!a.ou) return;
      var parts = a.ou.split('/');
      for (var i = 1; i <= parts.length; i++) ous[parts.slice(0, i).join('/')] = true;
    });
    $('f-ou').innerHTML += Object.keys(ous).sort().map(function (o) { return '<option>' + esc(o) + '</option>'; }).join('');
    $('f-region').innerHTML += R.map(function (r, i) { return '<option value="' + i + '">' + esc(r) + '</option>'; }).join('');
    $('f-check').innerHTML += C.map(function (c, i) { return '<option value="' + i + '">' + esc(c.id) + '</option>'; }).join('');
  }

  function applyFilters() {
    var verdict = $('f-verdict').value, ou = $('f-ou').value, region = $('f-region').value;
    var check = $('f-check').value === '' ? -1 : +$('f-check').value, q = $('f-search').value.trim().toLowerCase();
    var col = region === '' ? -1 : +region;
    $('column-filter').textContent = col < 0 ? '' : '#grid [data-col]:not([data-col="' + col + '"]){display:none}';
    var rows = $('grid-body').rows, shown = 0;
    for (var i = 0; i < A.length; i++) {
      var a = A[i];
      var ok = (!verdict || (col < 0 ? a.v === verdict : a.c[col] === CODE[verdict])) &&
        (!ou || within(a.ou, ou)) &&
        (check < 0 || checksAt(a, col).indexOf(check) >= 0) &&
        (!q || a.text.indexOf(q) >= 0);
      rows[i].hidden = !ok;
      if (ok) shown++;
    }
    $('shown').textContent = shown + ' of ' + A.length + ' accounts shown';
    var causes = $('causes').children;
    for (var j = 0; j < K.length && j < causes.length; j++) {
      var k = K[j];
      causes[j].hidden = !((check < 0 || k.k === check) &&
        (!ou || k.ous.some(function (o) { return within(o, ou); })) &&
        (col < 0 || k.m.some(function (m) { return m[1] === col || m[1] < 0; })) &&
        (!q || (C[k.k].id + ' ' + k.cause + ' ' + k.ous.join(' ')).toLowerCase().indexOf(q) >= 0));
    }
  }

  // --- views --------------------------------------------------------------------------------------
  var TABS = ['causes', 'ous', 'accounts'];
  function select(view, focus) {
    TABS.forEach(function (t) {
      var on = t === view;
      $('tab-' + t).setAttribute('aria-selected', on ? 'true' : 'false');
      $('tab-' + t).tabIndex = on ? 0 : -1;
      $('view-' + t).hidden = !on;
    });
    if (focus) $('tab-' + view).focus();
  }

  function wire() {
    TABS.forEach(function (t, i) {
      var tab = $('tab-' + t);
      tab.addEventListener('click', function () { select(t); });
      tab.addEventListener('keydown', function (e) {
        if (e.key === 'ArrowRight') select(TABS[(i + 1) % TABS.length], true);
        else if (e.key === 'ArrowLeft') select(TABS[(i + TABS.length - 1) % TABS.length], true);
      });
    });
    $('grid-body').addEventListener('click', function (e) {
      var button = e.target.closest('button.cell');
      if (button && !button.disabled) showCell(button);
    });
    $('grid-body').addEventListener('keydown', function (e) {
      var button = e.target.closest('button.cell');
      if (button && moveFocus(button, e.key)) e.preventDefault();
    });
    $('ous-body').addEventListener('click', function (e) {
      var button = e.target.closest('button[data-ou]');
      if (!button || button.dataset.ou === '(OU not known)') return;
      $('f-ou').value = button.dataset.ou;
      applyFilters();
      select('accounts', true);
    });
    ['f-verdict', 'f-ou', 'f-region', 'f-check'].forEach(function (id) { $(id).addEventListener('change', applyFilters); });
    $('f-search').addEventListener('input', applyFilters);
    $('detail-close').addEventListener('click', closeDetail);
    document.addEventListener('keydown', function (e) { if (e.key === 'Escape' && !$('detail').hidden) closeDetail(); });
    window.addEventListener('hashchange', route);
  }

  function route() {
    var hash = location.hash;
    if (hash.indexOf('#account-') === 0) showAccount(hash.slice(9));
  }

  renderGrid();
  renderCauses();
  renderOus();
  fillFilters();
  wire();
  applyFilters();
  select(K.length ? 'causes' : 'accounts');
  route();
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  document.body.dataset.ready = '1';
})();
