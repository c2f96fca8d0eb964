// help.js opens and closes the help panel ("when the screen hurts") where the browser does not
// do it by itself: the button names its dialog with commandfor/command, which newer browsers
// carry out without any script. It sends nothing and counts nothing, so the panel works the same
// offline: everything it shows is already in the page.

const dialog = document.getElementById('help-panel');
const opener = document.querySelector('[commandfor="help-panel"][command="show-modal"]');

if (dialog && opener) {
  const invokers = 'commandForElement' in HTMLButtonElement.prototype;
  if (!invokers) {
    opener.addEventListener('click', () => dialog.showModal());
    for (const b of dialog.querySelectorAll('[command="close"]')) b.addEventListener('click', () => dialog.close());
  }
  // A click on the backdrop closes the panel, as Escape does, where closedby="any" is unknown.
  if (!('closedBy' in HTMLDialogElement.prototype)) {
    dialog.addEventListener('click', (ev) => {
      const r = dialog.getBoundingClientRect();
      const outside = ev.clientX < r.left || ev.clientX > r.right || ev.clientY < r.top || ev.clientY > r.bottom;
      if (ev.target === dialog && outside) dialog.close();
    });
  }
  // The focus goes back to the button, so a keyboard user is where they were.
  dialog.addEventListener('close', () => opener.focus());
}
