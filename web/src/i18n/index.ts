// i18next setup: Italian by default, English selectable; the choice is remembered per browser.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import it from './it.json';

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

export function setLanguage(lng: Language): void {
  try {
    window.localStorage.setItem(KEY, lng);
  } catch {
    /* ignore */
  }
  void i18n.changeLanguage(lng);
}

i18n.on('languageChanged', (lng) => {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
});

void i18n.use(initReactI18next).init({
  resources: { it: { translation: it }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'it',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
