// menu.js makes the language menu close as a menu does: on Escape, with the focus back on its
// button, when the focus leaves it (Tab past its last language), and on a press outside it.

for (const menu of document.querySelectorAll('details.langs')) {
  const button = menu.querySelector('summary');
  let pressing = false; // a press inside the menu moves the focus by itself in some browsers
  menu.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape' || !menu.open) return;
    ev.preventDefault();
    menu.open = false;
    button.focus();
  });
  menu.addEventListener('pointerdown', () => { pressing = true; });
  document.addEventListener('pointerup', () => { pressing = false; });
  menu.addEventListener('focusout', (ev) => {
    if (menu.open && !pressing && !menu.contains(ev.relatedTarget)) menu.open = false;
  });
  document.addEventListener('pointerdown', (ev) => {
    if (menu.open && !menu.contains(ev.target)) menu.open = false;
  });
}
