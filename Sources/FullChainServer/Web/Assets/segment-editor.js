// The segment editor: shows each row's fields for its kind, and the live count of the form as
// it stands (POST /segments/count), a moment after each change.
(function () {
  var form = document.getElementById('segment-editor');
  var output = document.getElementById('live-count');
  if (!form || !output) { return; }
  var uses = { tag: ['tag'], stage: ['stage'], region: ['region'], store: ['store'], verified: [],
               scanned: ['product', 'atLeast', 'days'], redeemed: ['days'] };
  function showFields() {
    form.querySelectorAll('.condition').forEach(function (row) {
      var n = row.dataset.row, kind = form.elements['kind' + n].value, used = uses[kind] || [];
      ['tag', 'stage', 'region', 'store', 'product', 'atLeast', 'days'].forEach(function (name) {
        form.elements[name + n].closest('label').hidden = used.indexOf(name) < 0;
      });
      form.elements['negate' + n].closest('label').hidden = kind === '';
    });
  }
  var timer = null, asked = 0;
  function count() {
    var ticket = ++asked;
    fetch('/segments/count', { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(new FormData(form)).toString() })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, json: j }; }); })
      .then(function (answer) {
        if (ticket !== asked) { return; }
        output.textContent = answer.ok ? answer.json.text : output.dataset.incomplete;
        output.dataset.count = answer.ok ? String(answer.json.count) : '';
      })
      .catch(function () { if (ticket === asked) { output.textContent = output.dataset.incomplete; } });
  }
  function changed() {
    showFields();
    clearTimeout(timer);
    timer = setTimeout(count, 250);
  }
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  showFields();
  count();
})();
