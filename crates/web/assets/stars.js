// Stars inline: on an event's programme, "Merken" stars the session without leaving the page.
// The personal programme's token (its private link) is kept in this browser's local storage —
// no cookie, and only once the reader has starred something — so later stars go to the same
// programme, and a link to it appears. Without this script every star button is a form that
// leads to the programme's page. Written for old browsers too (no arrow functions, no async).
(function () {
  'use strict';
  if (!window.fetch || !window.localStorage || !window.URL || !window.FormData) {
    return;
  }
  var KEY = 'stadtradar-mein-programm';
  var stored = null;
  try {
    stored = window.localStorage.getItem(KEY);
  } catch (e) {
    return;
  }

  function showLink(token) {
    var place = document.getElementById('mein-programm-link');
    if (!place || !token) {
      return;
    }
    var a = place.querySelector('a');
    a.href = '/mein-programm?token=' + encodeURIComponent(token);
    place.hidden = false;
  }

  showLink(stored);
  var forms = document.querySelectorAll('form.star-form');
  for (var i = 0; i < forms.length; i++) {
    forms[i].addEventListener('submit', function (ev) {
      var form = ev.target;
      // Only the public programme's stars: the personal pages carry their own token.
      if (form.querySelector('input[name="token"]')) {
        return;
      }
      ev.preventDefault();
      var data = new URLSearchParams(new FormData(form));
      if (stored) {
        data.append('token', stored);
      }
      var button = form.querySelector('button');
      button.disabled = true;
      fetch(form.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: data.toString()
      }).then(function (res) {
        if (!res.ok) {
          throw new Error('star failed');
        }
        var token = new URL(res.url).searchParams.get('token');
        if (token) {
          stored = token;
          try {
            window.localStorage.setItem(KEY, token);
          } catch (e) {
            // Without storage the next star starts a new programme; this one is kept.
          }
          showLink(token);
        }
        button.textContent = button.getAttribute('data-starred') || button.textContent;
      }).catch(function () {
        // Without the answer, the form goes the way it goes without script.
        form.submit();
      });
    });
  }
})();
