// i18next setup: Italian by default, English selectable; the choice is remembered per browser.
// The first load bundles only the Italian messages of the sign-in page and the layout
// (`core.ts`); the rest of Italian is a chunk that `loadAllMessages` adds before any page
// renders (App.tsx `page()`). English is a chunk of its own, fetched whole when it is chosen (or
// was chosen in this browser before), so a first visit in Italian does not download it.
import i18n, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import core from 'virtual:i18n-core';

export const LANGUAGES = ['it', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const KEY = 'sl.lang';

function initialLanguage(): Language {
  try {
    const saved = window.localStorage.getItem(KEY);
    if (saved === 'it' || saved === 'en') return saved;
  } catch {
    /* storage unavailable: default */
  }
  return 'it';
}

/** Switches the UI's language; resolves once its messages are loaded (English is fetched once). */
export async function setLanguage(lng: Language): Promise<void> {
  try {
    window.localStorage.setItem(KEY, lng);
  } catch {
    /* ignore */
  }
  // Pages already shown in English need the rest of Italian too.
  if (lng === 'it') await loadAllMessages();
  await i18n.changeLanguage(lng);
}

let allMessages: Promise<void> | undefined;

/** Adds the Italian messages beyond the first load's; resolves once they are in (fetched once). */
export function loadAllMessages(): Promise<void> {
  allMessages ??= import('./it.json').then(
    (m) => {
      i18n.addResourceBundle('it', 'translation', m.default, true, true);
    },
    (e: unknown) => {
      allMessages = undefined; // a later page tries again
      throw e;
    },
  );
  return allMessages;
}

i18n.on('languageChanged', (lng) => {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
});

const lazyEnglish: BackendModule = {
  type: 'backend',
  init() {},
  read(lng, _ns, callback) {
    if (lng !== 'en') return callback(null, {});
    import('./en.json').then(
      (m) => callback(null, m.default),
      (e: unknown) => callback(e instanceof Error ? e.message : String(e), false),
    );
  },
};

/** Resolves once the language in use has its messages: the app renders after it. */
export const i18nReady = i18n
  .use(lazyEnglish)
  .use(initReactI18next)
  .init({
    resources: { it: { translation: core } },
    partialBundledLanguages: true,
    lng: initialLanguage(),
    fallbackLng: 'it',
    interpolation: { escapeValue: false },
    returnNull: false,
  });

export default i18n;
