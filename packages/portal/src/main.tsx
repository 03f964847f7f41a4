// Entry: mounts the portal with its default services.
import { render } from 'preact';
import { App } from './app.js';
import { defaultServices } from './services.js';
import '@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css';
import '@utrecht/component-library-css/dist/index.css';
import './styles.css';

const root = document.getElementById('app');
if (root !== null) {
  root.replaceChildren();
  render(<App services={defaultServices()} />, root);
}
