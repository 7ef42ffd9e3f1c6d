// A meeting's minutes (verbale) as the API renders them: printable HTML to read in the page and
// the PDF to download. Both need the bearer token, so they are fetched, never linked.
import { authFetch } from '../../api/authFetch';
import { API_ORIGIN, API_PREFIX } from '../../api/base';
import { ApiError } from '../../api/problem';
import i18n from '../../i18n';

async function fetchMinutes(meetingId: string, format: 'html' | 'pdf'): Promise<Response> {
  let res: Response;
  try {
    res = await authFetch(new Request(`${API_ORIGIN}${API_PREFIX}/meetings/${encodeURIComponent(meetingId)}/minutes?format=${format}`, {
      headers: { Accept: format === 'html' ? 'text/html' : 'application/pdf', 'Accept-Language': i18n.language === 'en' ? 'en' : 'it' },
    }));
  } catch (e) {
    throw ApiError.network(e);
  }
  if (!res.ok) throw ApiError.fromResponse(res, await res.json().catch(() => null));
  return res;
}

/** The minutes as the printable HTML page. */
export async function minutesHtml(meetingId: string): Promise<string> {
  return (await fetchMinutes(meetingId, 'html')).text();
}

/** Downloads the minutes' PDF as `fileName`. */
export async function downloadMinutesPdf(meetingId: string, fileName: string): Promise<void> {
  const blob = await (await fetchMinutes(meetingId, 'pdf')).blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
