// Italian names of scopes and event types, and where integrations ask for tokens.
import type { TFunction } from 'i18next';
import { API_ORIGIN, API_PREFIX } from '../../api/base';
import type { EventType, Scope } from '../../api/types';

/** i18n keys cannot hold `.` or `:` (i18next's key and namespace separators): `case.closed` → `case_closed`. */
const key = (value: string) => value.replace(/[.:]/g, '_');

export const scopeLabel = (t: TFunction, s: Scope) => t(`integrations.scope.${key(s)}`, { defaultValue: s });
export const eventLabel = (t: TFunction, e: EventType) => t(`webhooks.eventType.${key(e)}`, { defaultValue: e });

/** The OAuth2 token endpoint (client credentials), absolute: integrations live elsewhere. */
export const TOKEN_URL = `${API_ORIGIN}${API_PREFIX}/auth/token`;
