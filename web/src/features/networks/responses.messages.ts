// The messages of the working groups and shared responses (the network page's sections and the
// case page's proposals), registered when one of their screens' chunks loads: Italian is bundled
// into the first load only for the sign-in page (ARCHITECTURE.md), so what only these screens
// say stays in their chunks, in both languages, under the top-level key `responses`. English is
// added once en.json is loaded (adding it before would make i18next think English is loaded and
// never fetch en.json). responses.messages.test.ts checks the two at parity.
import i18n from '../../i18n';
import en from './responses.messages.en.json';
import it from './responses.messages.it.json';

i18n.addResourceBundle('it', 'translation', it, true, false);

function addEnglish() {
  if (i18n.hasResourceBundle('en', 'translation') && i18n.getResource('en', 'translation', 'responses.area.housing') === undefined) {
    i18n.addResourceBundle('en', 'translation', en, true, false);
  }
}
addEnglish();
i18n.on('loaded', addEnglish);

export const RESPONSES_MESSAGES = { it, en };
