// The letter's print button, and the idle-timeout warning (WCAG 2.2.1): two minutes before the session would end for lack of
// activity, a dialog offers to extend it. Progressive enhancement only: without JavaScript
// the header states when the session ends and has a plain "Sessie verlengen" form.
(function () {
  'use strict';
  var print = document.getElementById('print-button');
  if (print) print.addEventListener('click', function () { window.print(); });

  var body = document.body;
  // Relative to the page's own clock, so a computer whose clock is off still warns in time.
  var expires = Date.now() + Number(body.getAttribute('data-idle-ms') || 0);
  var dialog = document.getElementById('session-dialog');
  if (!expires || !dialog || typeof dialog.showModal !== 'function') return;
  var WARN_MS = 2 * 60 * 1000;
  var timers = [];

  function schedule() {
    timers.forEach(clearTimeout);
    var now = Date.now();
    timers = [
      setTimeout(function () { if (!dialog.open) dialog.showModal(); }, Math.max(0, expires - WARN_MS - now)),
      setTimeout(function () { window.location.assign('/login?verlopen=1'); }, Math.max(0, expires - now)),
    ];
  }

  document.getElementById('session-extend').addEventListener('click', function () {
    fetch('/session/extend', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: '',
      credentials: 'same-origin',
    })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        expires = Date.now() + Number(data.remainingMs);
        var label = document.getElementById('session-until');
        if (label && data.until) label.textContent = data.until;
        dialog.close();
        schedule();
      })
      .catch(function () { window.location.assign('/login?verlopen=1'); });
  });
  document.getElementById('session-logout').addEventListener('click', function () {
    dialog.close();
    document.getElementById('logout-form').submit();
  });
  schedule();
})();
