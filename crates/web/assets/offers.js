// The list of offers: "Meinen Standort verwenden" asks the browser for its location and sends
// the filter with it, so the offers are sorted by distance from where the person is. The
// location goes only to this site, as two numbers in the address of the list; nothing is
// stored. Without this script (or without permission) the district and the postcode do the
// same. Written for old browsers too (no arrow functions, no async).
(function () {
  'use strict';
  var form = document.getElementById('offer-filters');
  if (!form || !navigator.geolocation) {
    return;
  }
  var place = form.querySelector('.locate');
  var button = form.querySelector('[data-locate]');
  var status = form.querySelector('.locate-status');
  if (!place || !button || !status) {
    return;
  }
  place.hidden = false;

  function field(name, value) {
    var input = form.querySelector('input[type=hidden][name=' + name + ']');
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  button.addEventListener('click', function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      field('lat', pos.coords.latitude.toFixed(5));
      field('lon', pos.coords.longitude.toFixed(5));
      // The browser's location takes the place of a district or postcode.
      var district = form.querySelector('[name=district]');
      var postcode = form.querySelector('[name=postcode]');
      if (district) {
        district.value = '';
      }
      if (postcode) {
        postcode.value = '';
      }
      form.submit();
    }, function () {
      button.disabled = false;
      status.textContent = button.getAttribute('data-error');
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
  });
})();
