// The dashboard's entry: a hash router over three pages. Each page renders into <main> and returns its
// cleanup (timers, event streams, charts), run before the next page renders.
import { renderExplore } from './pages/explore.ts';
import { renderFleet } from './pages/fleet.ts';
import { renderSite } from './pages/site.ts';
import './styles.css';

const main = document.getElementById('app')!;
let cleanup: (() => void) | undefined;

function route(moveFocus: boolean): void {
  cleanup?.();
  cleanup = undefined;
  const hash = location.hash.replace(/^#/, '') || '/fleet';
  const [path = '', search = ''] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const page = parts[0] ?? 'fleet';
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a')) {
    if (link.dataset['page'] === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (page === 'site' && parts[1] !== undefined) {
    cleanup = renderSite(main, parts[1]);
    document.title = `Site ${parts[1]} · wattline`;
  } else if (page === 'explore') {
    cleanup = renderExplore(main, parts[1], new URLSearchParams(search));
    document.title = 'Explore · wattline';
  } else {
    cleanup = renderFleet(main);
    document.title = 'Fleet · wattline';
  }
  // After in-page navigation, start the keyboard and screen reader at the new content.
  if (moveFocus) main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', () => route(true));
route(false);
