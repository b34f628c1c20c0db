// Live discussions: when the server reports a change to the discussion on this page (a new
// comment, an answer, an upvote, a moderation decision), its threads are fetched again and put
// in place, without touching the form the reader may be typing in. Without this script the page
// is complete on reload. Written for old browsers too (no arrow functions, no async).
(function () {
  'use strict';
  var section = document.getElementById('diskussion');
  if (!section || !window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }
  var source = section.getAttribute('data-live');
  var status = section.querySelector('.discussion-status');
  if (!source) {
    return;
  }
  var busy = false;
  var again = false;
  var timer = null;

  function hasForm(root) {
    return !!root.querySelector('.comment-form');
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(window.location.pathname + window.location.search, {
      credentials: 'same-origin',
      headers: { Accept: 'text/html' }
    }).then(function (res) {
      return res.ok ? res.text() : null;
    }).then(function (html) {
      if (!html) {
        return;
      }
      var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('diskussion');
      if (!fresh) {
        return;
      }
      var now = section.querySelector('.discussion-live');
      var next = fresh.querySelector('.discussion-live');
      if (hasForm(section) !== hasForm(fresh)) {
        // The discussion opened or closed: the whole section changes.
        section.parentNode.replaceChild(document.importNode(fresh, true), section);
        section = document.getElementById('diskussion');
        status = section.querySelector('.discussion-status');
      } else if (now && next && now.innerHTML !== next.innerHTML) {
        now.parentNode.replaceChild(document.importNode(next, true), now);
      } else {
        return;
      }
      if (status) {
        status.textContent = status.getAttribute('data-updated') || '';
      }
    }).catch(function () {
      // The next change, or a reload, brings the page up to date.
    }).then(function () {
      busy = false;
      if (again) {
        again = false;
        refresh();
      }
    });
  }

  function changed() {
    // A burst of changes is fetched once.
    if (timer) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(function () {
      timer = null;
      refresh();
    }, 250);
  }

  var events = new EventSource(source);
  events.addEventListener('message', changed);
  events.addEventListener('reset', changed);
})();
