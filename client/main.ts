/**
 * Entry point: global styles, the services, the shell element, and the service-worker registration that
 * offers new versions through the update bar.
 */
import './styles/global.css';
import { registerSW } from 'virtual:pwa-register';
import './app/rp-app/rp-app.ts';
import { createServices } from './app/create-services.ts';

const services = createServices();
const app = document.createElement('rp-app');
app.services = services;
document.body.append(app);
void services.session.start();

if ('serviceWorker' in navigator) {
  const updateServiceWorker = registerSW({
    immediate: true,
    onNeedRefresh: () =>
      services.updates.offerUpdate(async () => {
        // registerSW reloads only pages that were controlled when they loaded; a first visit is claimed by the
        // new worker instead (sw.ts), so reload on the change of controller as well.
        navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
        await updateServiceWorker(true);
      }),
  });
}
