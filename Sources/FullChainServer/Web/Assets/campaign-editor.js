(function () {
  var form = document.getElementById('campaign-form');
  var status = document.getElementById('campaign-status');
  var button = form.querySelector('button[type=submit]');
  var key = null;
  function fen(value) { return value === '' ? null : Math.round(parseFloat(value) * 100); }
  function int(value) { return value === '' ? null : parseInt(value, 10); }
  function millis(value) { return value === '' ? null : new Date(value).getTime(); }
  function show(kind, text, items) {
    status.className = 'alert ' + kind; status.textContent = text;
    if (items && items.length) { var list = document.createElement('ul'); items.forEach(function (item) { var li = document.createElement('li'); li.textContent = item; list.appendChild(li); }); status.appendChild(list); }
  }
  form.addEventListener('input', function () { key = null; });
  // Regions by name: a typed name that is in the list becomes a chip holding its code.
  var picker = document.getElementById('region-picker');
  var chips = document.getElementById('region-chips');
  function pick() {
    var name = picker.value.trim();
    var option = Array.prototype.find.call(document.querySelectorAll('#region-names option'), function (o) { return o.value === name; });
    if (!option) { return false; }
    var code = option.dataset.code;
    if (!chips.querySelector('[data-code="' + code + '"]')) {
      var chip = document.createElement('span');
      chip.className = 'chip';
      chip.dataset.code = code;
      chip.textContent = name + ' ';
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'link';
      remove.textContent = '×';
      remove.setAttribute('aria-label', chips.dataset.remove);
      remove.addEventListener('click', function () { chip.remove(); key = null; });
      chip.appendChild(remove);
      chips.appendChild(chip);
    }
    picker.value = '';
    key = null;
    return true;
  }
  picker.addEventListener('change', pick);
  picker.addEventListener('keydown', function (event) { if (event.key === 'Enter') { event.preventDefault(); pick(); } });
  // Any number of prize tiers: a new row copies the last one's controls, empty.
  document.getElementById('add-tier').addEventListener('click', function () {
    var rows = form.querySelectorAll('tr.tier');
    var last = rows[rows.length - 1];
    var row = last.cloneNode(true);
    row.dataset.index = String(rows.length);
    row.querySelectorAll('input').forEach(function (input) { input.value = ''; });
    last.parentNode.appendChild(row);
    row.querySelector('input').focus();
  });
  // A field error names the field as the page does: "奖项 2: …".
  function label(field) {
    var root = field.split(/[.\[]/)[0];
    var index = /\[(\d+)\]/.exec(field);
    var name = form.getAttribute('data-field-' + root.toLowerCase()) || root;
    return index ? name + ' ' + (Number(index[1]) + 1) : name;
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var e = form.elements;
    var tiers = [];
    form.querySelectorAll('tr.tier').forEach(function (row) {
      var q = function (name) { return row.querySelector('[name=' + name + ']').value.trim(); };
      if (q('tierName') === '') { return; }
      var tier = { name: q('tierName'), kind: q('tierKind'), probability: q('tierProbability') === '' ? null : parseFloat(q('tierProbability')) / 100 };
      if (q('tierAmount') !== '') { tier.amountFen = fen(q('tierAmount')); }
      if (q('tierPoints') !== '') { tier.points = int(q('tierPoints')); }
      if (q('tierCoupon') !== '') { tier.couponCode = q('tierCoupon'); }
      if (q('tierStock') !== '') { tier.stock = int(q('tierStock')); }
      tiers.push(tier);
    });
    var body = {
      name: e.name.value.trim(), startsAt: millis(e.startsAt.value), endsAt: millis(e.endsAt.value),
      productIDs: Array.prototype.filter.call(form.querySelectorAll('[name=product]'), function (box) { return box.checked; }).map(function (box) { return parseInt(box.value, 10); }),
      regionCodes: Array.prototype.map.call(chips.querySelectorAll('[data-code]'), function (chip) { return chip.dataset.code; }),
      tiers: tiers, budgetFen: fen(e.budget.value), storeRewardFen: fen(e.storeReward.value), storeBudgetFen: fen(e.storeBudget.value),
      perConsumerPerDay: int(e.perConsumerPerDay.value), perDevicePerDay: int(e.perDevicePerDay.value)
    };
    var fenced = e.storeIDs.value.split(/[,，\s]+/).filter(function (id) { return id !== ''; }).map(function (id) { return parseInt(id, 10); });
    if (fenced.length) { body.storeIDs = fenced; }
    if (e.radiusMeters.value !== '') { body.radiusMeters = int(e.radiusMeters.value); }
    if (e.segmentID.value !== '') { body.segmentID = int(e.segmentID.value); }
    key = key || ('campaign-' + Date.now() + '-' + Math.random().toString(36).slice(2));
    button.disabled = true;
    show('info', form.dataset.saving);
    fetch('/api/v1/campaigns', { method: 'POST', credentials: 'same-origin', body: JSON.stringify(body),
                                 headers: { 'Content-Type': 'application/json', 'Accept-Language': document.documentElement.lang || 'en', 'Idempotency-Key': key } })
      .then(function (response) { return response.json().catch(function () { return {}; }).then(function (json) { return { status: response.status, json: json }; }); })
      .then(function (result) {
        if (result.status === 201 && result.json.id) { window.location.href = '/campaigns/' + result.json.id; return; }
        var error = result.json.error || {};
        var fields = Array.isArray(error.details) ? error.details : [];
        show('bad', form.dataset.failed + ': ' + (error.message || ('HTTP ' + result.status)) + (fields.length ? ' ' + form.dataset.fix : ''),
             fields.map(function (f) { return label(f.field) + ': ' + f.message; }));
        button.disabled = false;
        key = null;
      })
      .catch(function (failure) { show('bad', form.dataset.failed + ': ' + failure); button.disabled = false; });
  });
})();