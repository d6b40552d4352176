(function () {
  // Forms that post their fields as JSON to the API: a field's name is its path in the body
  // ("ranges.0.firstCase"), number inputs send numbers, and empty fields are left out. The answer
  // is asked for in the page's language; on success the page reloads (or goes to data-next, with
  // {id} from the answer), otherwise the error and each field's problem show under the form.
  var language = document.documentElement.lang || 'en';
  function put(body, path, value) {
    var keys = path.split('.'), here = body;
    keys.forEach(function (key, index) {
      var last = index === keys.length - 1, next = keys[index + 1];
      if (last) { here[key] = value; return; }
      if (here[key] === undefined) { here[key] = /^\d+$/.test(next) ? [] : {}; }
      here = here[key];
    });
  }
  // A date and time field sends milliseconds (data-millis), and shows its initial value in the browser's time.
  function local(millis) {
    var d = new Date(millis);
    return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  }
  document.querySelectorAll('input[data-millis][data-initial]').forEach(function (input) {
    input.value = local(Number(input.dataset.initial));
  });
  document.querySelectorAll('form.api-form').forEach(function (form) {
    var status = form.querySelector('.outcome');
    var button = form.querySelector('button[type=submit]');
    var key = null;
    form.addEventListener('input', function () { key = null; });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var body = {};
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.disabled) { return; }
        var text = field.value.trim();
        if (text === '') { return; }
        if (field.dataset.millis !== undefined) {
          put(body, field.name, new Date(text).getTime());
        } else {
          put(body, field.name, field.type === 'number' || field.dataset.number !== undefined ? Number(text) : text);
        }
      });
      key = key || (form.id + '-' + Date.now() + '-' + Math.random().toString(36).slice(2));
      button.disabled = true;
      status.className = 'outcome';
      status.textContent = form.dataset.saving;
      fetch(form.dataset.endpoint, {
        method: form.dataset.method || 'POST', credentials: 'same-origin', body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json', 'Accept-Language': language, 'Idempotency-Key': key }
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) { return { status: response.status, json: json }; });
      }).then(function (result) {
        if (result.status < 300) {
          status.className = 'outcome ok';
          status.textContent = form.dataset.done;
          var next = form.dataset.next;
          setTimeout(function () {
            if (next) { window.location.href = next.replace('{id}', encodeURIComponent(result.json.id)); } else { window.location.reload(); }
          }, 400);
          return;
        }
        var error = result.json.error || {};
        var details = error.details && (error.details.fields || error.details);
        status.className = 'outcome bad';
        status.textContent = error.message || form.dataset.failed;
        if (Array.isArray(details) && details.length) {
          var list = document.createElement('ul');
          details.forEach(function (field) {
            if (!field.message) { return; }
            var item = document.createElement('li');
            item.textContent = field.message;
            list.appendChild(item);
          });
          status.appendChild(list);
        }
        button.disabled = false;
        key = null;
      }).catch(function () {
        status.className = 'outcome bad';
        status.textContent = form.dataset.failed;
        button.disabled = false;
      });
    });
  });
})();
