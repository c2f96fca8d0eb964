// watch.js keeps a ballot or a decided agreement in step with the room: when the agreement's
// status changes (the vote closes, or goes back to draft and its votes are discarded), the page
// reloads to show it, with a word about why.
import { Live, newTabID, socketURL } from './live.js';

const root = document.getElementById('watch');
if (root) {
  const status = root.dataset.status;
  const live = new Live({
    url: socketURL(root.dataset.url),
    client: newTabID('watch-'),
    emit(type, d) {
      if (type === 'agreement' && d.agreement.status !== status && !document.documentElement.dataset.navigating) {
        const next = new URL(location.href);
        next.searchParams.set('was', status);
        location.replace(next.href);
      }
    },
  });
  live.connect();
  window.addEventListener('online', () => live.reconnectNow());
}
