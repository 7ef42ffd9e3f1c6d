// The Italian messages of the networks' forms and of the public join page, registered when one
// of their screens' chunks loads: Italian is bundled into the first load (the sign-in page's
// budget, ARCHITECTURE.md), so what only these screens say stays in their chunks. English keeps
// them in en.json, which is its own chunk already; i18n.test.ts checks both at parity.
import i18n from '../../i18n';
import messages from './messages.it.json';

i18n.addResourceBundle('it', 'translation', messages, true, false);

export const NETWORK_MESSAGES = messages;
