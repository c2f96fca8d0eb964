// council.js keeps the mark of each clause a class copied from its pupil council true while the
// class edits it: "as the council wrote it", or "changed by the class" with the council's text
// opened beside it. It follows the person's own typing and the changes others make.
for (const origin of document.querySelectorAll('.council-origin[data-title]')) {
  const li = origin.closest('[data-clause]');
  if (!li) continue;
  const check = () => mark(origin, li);
  for (const ev of ['input', 'change', 'ka:clause']) li.addEventListener(ev, check);
}

function mark(origin, li) {
  const title = li.querySelector('.clause-title');
  const body = li.querySelector('.clause-body');
  if (!title || !body) return;
  const value = li.querySelector('.clause-value');
  const d = origin.dataset;
  const changed = title.value.trim() !== d.title || body.value !== d.body || (value != null && d.value !== '' && value.value !== d.value);
  if (changed === origin.classList.contains('changed')) return;
  origin.classList.toggle('changed', changed);
  if (changed) origin.querySelector('details').open = true;
}
