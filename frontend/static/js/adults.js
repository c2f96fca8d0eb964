// adults.js lets a school's admin keep the list of trusted adults: rows to fill in, add and
// remove, sent together as one list (PUT /api/v1/schools/{id}/trusted-adults).

const form = document.getElementById('trusted-adults');
if (form) start(form);

function start(form) {
  const rows = form.querySelector('.adult-rows');
  const template = document.getElementById('adult-row');
  const add = form.querySelector('[data-add-adult]');
  const status = form.querySelector('[role=status]');
  const error = form.querySelector('.form-error');
  const max = Number(form.dataset.max) || 12;

  add.addEventListener('click', () => {
    const row = template.content.firstElementChild.cloneNode(true);
    rows.append(row);
    renumber();
    row.querySelector('input').focus();
  });
  rows.addEventListener('click', (ev) => {
    const remove = ev.target.closest('[data-remove-adult]');
    if (!remove) return;
    const row = remove.closest('.adult-row');
    if (rows.children.length > 1) row.remove();
    else for (const input of row.querySelectorAll('input')) input.value = '';
    renumber();
    (rows.querySelector('.adult-row:last-child input') ?? add).focus();
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    save();
  });
  renumber();

  // renumber keeps each row's legend, ids and labels in step with its place.
  function renumber() {
    [...rows.children].forEach((row, i) => {
      row.querySelector('legend').textContent = form.dataset.msgRow.replace('#', String(i + 1));
      for (const input of row.querySelectorAll('input')) input.id = 'adult-' + input.name + '-' + i;
      for (const label of row.querySelectorAll('label')) {
        label.htmlFor = 'adult-' + label.htmlFor.replace(/^adult-/, '').replace(/-(-?\d+)$/, '') + '-' + i;
      }
    });
    add.hidden = rows.children.length >= max;
  }

  async function save() {
    const list = [...rows.children].map((row) => ({
      name: row.querySelector('[name=name]').value,
      role: row.querySelector('[name=role]').value,
      where: row.querySelector('[name=where]').value,
    }));
    status.textContent = '';
    let res, data = null;
    try {
      res = await fetch(form.dataset.adults, {
        method: 'PUT', credentials: 'same-origin',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ trusted_adults: list }),
      });
      data = await res.json().catch(() => null);
    } catch {
      return showError(document.body.dataset.msgNetwork);
    }
    if (!res.ok) return showError(data?.error?.message || document.body.dataset.msgNetwork);
    showError('');
    status.textContent = form.dataset.msgSaved;
  }

  function showError(text) {
    error.textContent = text;
    error.hidden = text === '';
  }
}
