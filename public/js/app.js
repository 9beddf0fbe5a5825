// Small progressive enhancements; every page works without this file.
// After an htmx swap that brings an error summary, move focus to it so screen readers announce it.
document.addEventListener('htmx:after:swap', function (event) {
  var target = event.target;
  if (!(target instanceof Element)) return;
  var summary = target.querySelector('.error-summary') || document.querySelector('.error-summary');
  if (summary) summary.focus();
});
// A step swapped in place (a wizard) has no error summary: move focus to its heading instead.
document.addEventListener('htmx:after:swap', function (event) {
  var target = event.target;
  if (!(target instanceof Element) || document.querySelector('.error-summary')) return;
  var heading = document.querySelector('[data-focus-on-swap]');
  if (heading instanceof HTMLElement) heading.focus();
});
// « Imprimer » on the printable tiers payant card: the browser's print dialog (hidden without JS,
// where the page tells to use the browser's « Imprimer »).
document.querySelectorAll('[data-print]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () {
    window.print();
  });
});
