// Where the API lives: the page's own origin, so the SPA works wherever the API binary (or
// Vite's proxy) serves it. Absolute because Request() outside a browser needs a full URL.
export const API_ORIGIN = typeof window !== 'undefined' ? window.location.origin : '';
export const API_PREFIX = '/api/v1';
