// What the board, the public page and the matching show of an item: a card (title, kind,
// publisher, who it is for, dates — the deadline highlighted, and said, when it is within a
// week — the state when not published, the flyer) and the detail's facts.
import '../networks/responses.messages';
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DataList } from '../../components/DataList';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate, formatDateTime } from '../../lib/format';
import { closingDay, closingSoon, daysUntil, type Opportunity, type PublicOpportunity } from './data';

/** "Dal 01/02 al 30/04", "Dal 01/02", "Fino al 30/04", or nothing. */
export function Period({ o }: { o: PublicOpportunity }) {
  const { t } = useTranslation();
  if (o.starts_on && o.ends_on) {
    return o.starts_on === o.ends_on ? <>{t('opportunities.on', { date: formatDate(o.starts_on) })}</>
      : <>{t('opportunities.period', { from: formatDate(o.starts_on), to: formatDate(o.ends_on) })}</>;
  }
  if (o.starts_on) return <>{t('opportunities.periodFrom', { date: formatDate(o.starts_on) })}</>;
  if (o.ends_on) return <>{t('opportunities.periodTo', { date: formatDate(o.ends_on) })}</>;
  return null;
}

/** "Scade il 12/12/2026", highlighted (and said) when it closes within a week. */
export function Closing({ o }: { o: PublicOpportunity }) {
  const { t } = useTranslation();
  const day = closingDay(o);
  if (!day) return null;
  const soon = closingSoon(o);
  return (
    <span className={soon ? 'fw-semibold text-danger' : undefined} data-testid="closing" data-soon={soon ? 'true' : 'false'}>
      {soon && <span className="badge bg-danger badge-status me-1">{daysUntil(day) === 0 ? t('opportunities.closesToday') : t('opportunities.closesSoon')}</span>}
      {t('opportunities.closesOn', { date: formatDate(day) })}
    </span>
  );
}

export function FlyerLink({ o }: { o: PublicOpportunity }) {
  const { t } = useTranslation();
  return (
    <a href={o.flyer_url} className="small" data-testid="flyer">
      {t('opportunities.flyer')}{' '}<span className="visually-hidden">— {o.title}</span>
    </a>
  );
}

function isBoardItem(o: PublicOpportunity | Opportunity): o is Opportunity {
  return 'status' in o;
}

/** One item as a card: `to` is where its title leads (the board's detail or the public page's). */
export function OpportunityCard({ o, to, headingLevel = 3, children }: {
  o: PublicOpportunity | Opportunity; to: string; headingLevel?: 2 | 3 | 4; children?: ReactNode;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const H = `h${headingLevel}` as 'h2' | 'h3' | 'h4';
  const status = isBoardItem(o) ? o.status : 'published';
  return (
    <article className="card card-bg mb-3" aria-labelledby={headingId} data-testid="opportunity" data-source={o.source}
             data-kind={o.kind ?? ''} data-status={status}>
      <div className="card-body p-3">
        <div className="d-flex flex-wrap gap-2 align-items-center mb-1">
          <span className="badge bg-primary badge-status">{o.kind_label}</span>
          <span className="small text-secondary">{t(`responses.area.${o.area}`, { defaultValue: o.area })}</span>
          {isBoardItem(o) && o.status !== 'published' && <StatusBadge kind="opportunity" status={o.status} />}
        </div>
        <H className="h5 mb-1 text-break" id={headingId}><Link to={to}>{o.title}</Link></H>
        <p className="small mb-1">{t('opportunities.publisher')}: {o.publisher}{o.municipality ? ` · ${o.municipality.name}` : ''}</p>
        <p className="small mb-1"><span className="fw-semibold">{t('opportunities.whoFor')}:</span> {o.who_for}</p>
        <p className="small mb-2">
          <span className="me-3 d-inline-block"><Period o={o} /></span>
          <span className="d-inline-block"><Closing o={o} /></span>
        </p>
        <div className="d-flex flex-wrap gap-3 align-items-center">
          <FlyerLink o={o} />
          {children}
        </div>
      </div>
    </article>
  );
}

/** Every field of an item, for its detail page (board or public). */
export function OpportunityFacts({ o }: { o: PublicOpportunity | Opportunity }) {
  const { t } = useTranslation();
  const board = isBoardItem(o) ? o : null;
  return (
    <>
      <DataList items={[
        [t('opportunities.kind'), o.kind_label],
        [t('opportunities.area'), t(`responses.area.${o.area}`, { defaultValue: o.area })],
        [t('opportunities.publisher'), o.publisher],
        [t('opportunities.district'), o.district_name],
        [t('opportunities.municipality'), o.municipality?.name],
        [t('opportunities.place'), o.place_note],
        [t('opportunities.startsOn'), o.starts_on ? formatDate(o.starts_on) : null],
        [t('opportunities.endsOn'), o.ends_on ? formatDate(o.ends_on) : null],
        [t('opportunities.applyBy'), o.apply_by ? <Closing o={o} /> : null],
        [t('opportunities.lastDay'), o.last_day ? formatDate(o.last_day) : t('opportunities.untilWithdrawn')],
        [t('opportunities.publishedAt'), board?.status === 'draft' ? null : formatDateTime(o.published_at)],
        ...(board?.expired_on ? [[t('opportunities.expiredOn'), formatDate(board.expired_on)]] as [string, string][] : []),
        ...(board?.withdrawal_reason ? [[t('opportunities.withdrawalReason'), board.withdrawal_reason]] as [string, string][] : []),
      ]} />
      <h2 className="h5">{t('opportunities.whoFor')}</h2>
      <p data-testid="who-for">{o.who_for}</p>
      <h2 className="h5">{t('opportunities.description')}</h2>
      <p className="text-pre-line">{o.description}</p>
      {o.for_operators && (
        <>
          <h2 className="h5">{t('opportunities.forOperators')}</h2>
          <p className="text-pre-line" data-testid="for-operators">{o.for_operators}</p>
        </>
      )}
      {o.how_to_apply && (
        <>
          <h2 className="h5">{t('opportunities.howToApply')}</h2>
          <p className="text-pre-line">{o.how_to_apply}</p>
        </>
      )}
      {o.contact && (
        <>
          <h2 className="h5">{t('opportunities.contact')}</h2>
          <p className="text-break">{o.contact}</p>
        </>
      )}
      <p><FlyerLink o={o} /></p>
    </>
  );
}
