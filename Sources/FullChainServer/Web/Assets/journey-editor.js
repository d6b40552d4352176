// The journey editor: shows the trigger's field for its kind, and each step row's fields for
// the step's kind (a row left unused shows none).
(function () {
  var form = document.getElementById('journey-editor');
  if (!form) { return; }
  function show() {
    var trigger = form.elements.triggerKind.value;
    form.querySelectorAll('label[data-for]').forEach(function (label) {
      var row = label.closest('.step');
      var kind = row ? form.elements['kind' + row.dataset.row].value : trigger;
      label.hidden = label.dataset.for.split(' ').indexOf(kind) < 0;
    });
  }
  form.addEventListener('change', show);
  show();
})();
