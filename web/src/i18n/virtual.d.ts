// The first load's Italian messages (vite.config.ts `i18nCore`: the CORE_KEYS of it.json; the
// whole file in unit tests).
declare module 'virtual:i18n-core' {
  const messages: Record<string, unknown>;
  export default messages;
}
