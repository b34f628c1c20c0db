// Live parts of pages: an element with `data-live` (the address of its event stream) is kept
// current. When the server reports a change (a new comment, an answer, an upvote, a question
// shown or pinned, a moderation decision), the page is fetched again and the element's part
// that changes (`data-live-part`, a class; default `.discussion-live`) is put in place, without
// touching a form the reader may be typing in. When the element's form (`data-live-form`,
// default `.comment-form`) appears or goes, the whole element is replaced. Without this script
// the page is complete on reload. Written for old browsers too (no arrow functions, no async).
(function () {
  'use strict';
  if (!window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }

  function follow(el) {
    var id = el.id;
    var source = el.getAttribute('data-live');
    var part = el.getAttribute('data-live-part') || '.discussion-live';
    var formSel = el.getAttribute('data-live-form') || '.comment-form';
    if (!id || !source) {
      return;
    }
    var busy = false;
    var again = false;
    var timer = null;

    function current() {
      return document.getElementById(id);
    }

    function hasForm(root) {
      return !!root.querySelector(formSel);
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
        var section = current();
        if (!html || !section) {
          return;
        }
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(id);
        if (!fresh) {
          return;
        }
        var now = section.querySelector(part);
        var next = fresh.querySelector(part);
        if (hasForm(section) !== hasForm(fresh)) {
          // The form opened or closed: the whole element changes.
          section.parentNode.replaceChild(document.importNode(fresh, true), section);
        } else if (now && next && now.innerHTML !== next.innerHTML) {
          now.parentNode.replaceChild(document.importNode(next, true), now);
        } else {
          return;
        }
        var status = current().querySelector('.live-status');
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
  }

  var live = document.querySelectorAll('[data-live]');
  for (var i = 0; i < live.length; i++) {
    follow(live[i]);
  }
})();
