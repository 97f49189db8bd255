// The letter's print button, and the idle-timeout warning (WCAG 2.2.1): two minutes before
// the session would end for lack of activity, a dialog offers to extend it. Progressive
// enhancement only: without JavaScript the header states when the session ends and has a
// plain "Sessie verlengen" form.
//
// The session is one for all tabs: every page load and every extension stores the new end
// in localStorage, and the other tabs follow it, so an idle tab never logs out a session
// that another tab keeps alive.
(() => {
  var print = document.getElementById('print-button');
  if (print)
    print.addEventListener('click', () => {
      window.print();
    });

  var body = document.body;
  var dialog = document.getElementById('session-dialog');
  if (!body.hasAttribute('data-idle-ms') || !dialog || typeof dialog.showModal !== 'function') return;
  var KEY = 'betrokken-idle-until';
  var WARN_MS = 2 * 60 * 1000;
  var timers = [];

  function stored() {
    try {
      return Number(window.localStorage.getItem(KEY)) || 0;
    } catch {
      return 0;
    }
  }
  function store(value) {
    try {
      window.localStorage.setItem(KEY, String(value));
    } catch {
      /* private mode: this tab only */
    }
  }
  // Relative to this computer's own clock, so a clock that is off still warns in time.
  var expires = Date.now() + Number(body.getAttribute('data-idle-ms'));
  store(Math.max(expires, stored()));

  function current() {
    return Math.max(expires, stored());
  }

  function schedule() {
    timers.forEach(clearTimeout);
    var until = current();
    var now = Date.now();
    timers = [setTimeout(warn, Math.max(0, until - WARN_MS - now)), setTimeout(expire, Math.max(0, until - now))];
  }
  function warn() {
    if (current() - Date.now() > WARN_MS) return schedule(); // another tab extended it
    if (!dialog.open) dialog.showModal();
  }
  function expire() {
    if (current() > Date.now()) return schedule();
    window.location.assign('/login?verlopen=1');
  }

  function extend() {
    fetch('/session/extend', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: '',
      credentials: 'same-origin',
    })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((data) => {
        expires = Date.now() + Number(data.remainingMs);
        store(expires);
        var label = document.getElementById('session-until');
        if (label && data.until) label.textContent = data.until;
        if (dialog.open) dialog.close();
        schedule();
      })
      .catch(() => {
        window.location.assign('/login?verlopen=1');
      });
  }

  document.getElementById('session-extend').addEventListener('click', extend);
  // Escape closes a modal dialog: take it as "continue", never as silently ignoring the warning.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    extend();
  });
  document.getElementById('session-logout').addEventListener('click', () => {
    dialog.close();
    document.getElementById('logout-form').submit();
  });
  window.addEventListener('storage', (event) => {
    if (event.key !== KEY) return;
    if (dialog.open && current() - Date.now() > WARN_MS) dialog.close();
    schedule();
  });
  schedule();
})();
