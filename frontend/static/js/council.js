// council.js shows, at each clause a class copied from its pupil council, what the class
// changed: the mark "as the council wrote it" or "changed by the class", and for a changed clause
// the class's words next to the council's, with the words it added and removed marked. In the
// editor it follows the person's own typing and the changes others make.
import { wordDiff } from './diff.js';

for (const origin of document.querySelectorAll('.council-origin[data-title]')) {
  const li = origin.closest('li') ?? origin.parentElement;
  const check = () => mark(origin, li);
  for (const ev of ['input', 'change', 'ka:clause']) li.addEventListener(ev, check);
  // The editor tells of a change to the text just before it writes it into the field.
  li.addEventListener('ka:changed', () => queueMicrotask(check));
  check();
}

// current is the class's clause now: from the editor's fields, or as the page was made.
function current(origin, li) {
  const title = li.querySelector('.clause-title');
  const body = li.querySelector('.clause-body');
  const value = li.querySelector('.clause-value');
  const d = origin.dataset;
  return {
    title: title ? title.value.trim() : d.classTitle,
    body: body ? body.value : d.classBody,
    value: value ? value.value : d.classValue,
  };
}

function mark(origin, li) {
  const d = origin.dataset;
  const now = current(origin, li);
  const changed = now.title !== d.title || now.body !== d.body || (d.value !== '' && now.value !== d.value);
  const was = origin.classList.contains('changed');
  origin.classList.toggle('changed', changed);
  if (changed && !was) origin.querySelector('details').open = true;
  // A changed text is shown once, as the council's with the class's changes marked in it.
  const out = origin.querySelector('.council-diff');
  if (!out) return;
  out.hidden = !changed || (now.title === d.title && now.body === d.body);
  origin.querySelector('.council-plain').hidden = !out.hidden;
  if (out.hidden) return;
  const title = out.querySelector('.council-diff-title');
  title.hidden = now.title === d.title;
  title.replaceChildren(...render(wordDiff(d.title, now.title)));
  out.querySelector('.council-diff-body').replaceChildren(...render(wordDiff(d.body, now.body)));
}

// render turns a diff into text, <ins> for the class's words and <del> for the council's words the
// class took out.
function render(parts) {
  return parts.map(([kind, text]) => {
    if (kind === '=') return document.createTextNode(text);
    const el = document.createElement(kind === '+' ? 'ins' : 'del');
    el.textContent = text;
    return el;
  });
}
