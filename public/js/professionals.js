// « Autour de moi » on /assure/professionnels (views/partials/assure/professionals-search.ejs):
// only with JavaScript and a browser that can locate, the button appears; it fills the hidden
// position fields, empties « Code postal ou ville » and submits the form (htmx then updates the
// list). The page works without this file: the member types a postal code or a town.
(function () {
  if (!('geolocation' in navigator)) return;
  function reveal() {
    document.querySelectorAll('[data-geolocate-region]').forEach(function (region) {
      region.hidden = false;
    });
  }
  reveal();
  // The search is morphed in place by htmx: the new markup comes with the button hidden again.
  document.addEventListener('htmx:after:swap', reveal);
  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('[data-geolocate]') : null;
    if (!button) return;
    var form = button.closest('form');
    if (!form) return;
    var status = form.querySelector('[data-geolocate-status]');
    if (status) status.textContent = 'Recherche de votre position…';
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.querySelector('[data-geolocate-lat]').value = position.coords.latitude.toFixed(5);
        form.querySelector('[data-geolocate-lon]').value = position.coords.longitude.toFixed(5);
        form.querySelector('#lieu').value = '';
        if (status) status.textContent = '';
        form.requestSubmit();
      },
      function () {
        if (status) status.textContent = "Votre position n'est pas disponible : saisissez un code postal ou une ville.";
      },
      { maximumAge: 300000, timeout: 15000 },
    );
  });
})();
