// join.js finishes joining on the join page: when the child's name is already in the class it
// asks whether it is the same child (the other parent) or another child of that name, who then
// gets an initial; once joined it goes where the meeting is: the agreement being drafted or
// voted on, else the class.
const form = document.getElementById('join-form');
const ask = document.getElementById('join-same-name');
if (form && ask) {
  const child = form.elements.household;
  const initialBox = document.getElementById('join-initial-box');
  const initial = document.getElementById('join-initial');
  const typed = () => form.querySelector('input[name=household_choice]:checked')?.value;

  ask.addEventListener('change', () => {
    initialBox.hidden = typed() !== 'other';
    initial.required = typed() === 'other';
  });
  // Before the form is sent: another child's name gets the initial, "Ida" becoming "Ida B.".
  form.addEventListener('submit', () => {
    if (typed() !== 'other' || !initial.value.trim()) return;
    const letter = initial.value.trim().replace(/\.+$/, '');
    const base = child.dataset.asked || child.value.trim();
    child.dataset.asked = base;
    child.value = base + ' ' + letter.charAt(0).toLocaleUpperCase() + letter.slice(1) + '.';
  }, true);
  child.addEventListener('input', () => { delete child.dataset.asked; });
  form.addEventListener('api-error', (ev) => {
    const code = ev.detail.data?.error?.code;
    if (code !== 'household.exists' && code !== 'household.taken') return;
    ask.hidden = false;
    // The question stands where the parent answers it, not below the button.
    document.getElementById('join-same-name-why').textContent = ev.detail.data.error.message;
    const generic = form.querySelector('.form-error');
    if (generic) generic.hidden = true;
    ask.scrollIntoView({ block: 'center' });
    for (const r of ask.querySelectorAll('input[type=radio]')) r.required = true;
    if (code === 'household.taken') {
      ask.querySelector('input[value=other]').checked = true;
      initialBox.hidden = false;
      initial.required = true;
      initial.value = '';
      initial.focus();
    } else {
      ask.querySelector('input[type=radio]').focus();
    }
  });
}
// Pupils too: the agreement being drafted or voted on, else the class.
form?.addEventListener('api-ok', (ev) => {
  const d = ev.detail;
  document.documentElement.dataset.navigating = '1';
  location.assign(d.agreement ? '/a/' + d.agreement.id : '/c/' + d.class.id);
});
