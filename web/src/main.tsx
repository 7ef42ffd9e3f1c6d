import 'bootstrap-italia/dist/css/bootstrap-italia.min.css';
import './styles/fonts.css';
import './styles/app.css';
import { i18nReady } from './i18n';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
const reactRoot = createRoot(root);
const render = () =>
  reactRoot.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
// English, when it was chosen, is fetched first; a failed fetch still shows the app (in Italian).
void i18nReady.then(render, render);
