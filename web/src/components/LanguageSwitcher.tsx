import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from '../i18n';

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <div className="lang-switcher" role="group" aria-label={t('nav.language')}>
      {LANGUAGES.map((lng: Language) => (
        <button key={lng} type="button" lang={lng}
                className={`lang-btn${i18n.language === lng ? ' lang-btn-active' : ''}`}
                aria-pressed={i18n.language === lng}
                onClick={() => void setLanguage(lng)}>
          <span aria-hidden="true">{lng.toUpperCase()}</span>
          <span className="visually-hidden">{t(`languages.${lng}`)}</span>
        </button>
      ))}
    </div>
  );
}
