// The Italian and English messages of a partnership's collective actions (CollectiveActions.tsx),
// registered when its chunk loads, as messages.ts does for the networks' forms. English is a
// chunk fetched when chosen (i18n/index.ts): a bundle added before it would make i18next think
// English is loaded already, so the English messages are added once English's own are in.
import i18n from '../../i18n';
import en from './collective.messages.en.json';
import it from './collective.messages.it.json';

i18n.addResourceBundle('it', 'translation', it, true, false);

function addEnglish() {
  i18n.addResourceBundle('en', 'translation', en, true, false);
}
if (i18n.hasResourceBundle('en', 'translation')) addEnglish();
i18n.on('loaded', (loaded: Record<string, unknown>) => {
  if ('en' in loaded) addEnglish();
});

export const COLLECTIVE_MESSAGES = { it, en };
