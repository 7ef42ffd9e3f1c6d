import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import '../i18n';

// `findBy…`/`waitFor` wait up to 5 s, not 1: on a loaded 2-core CI machine a page's first
// render can take longer than a second. A wait cap, not a timing assertion.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
});
