// "Reti e patti": the district's networks — territorial pacts, partnerships, the inclusion pact
// and the table itself — with their kind, state, active members and whether they meet their
// kind's rules.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { ListPage } from '../../components/ListView';
import { StatusBadge } from '../../components/StatusBadge';
import { useMe } from '../../auth/AuthContext';
import { all } from '../common/workflow';

export type Network = components['schemas']['NetworkOut'];

export function fetchAllNetworks(): Promise<Network[]> {
  return all<Network>((after) => unwrap(api.GET('/api/v1/networks', { params: { query: { limit: 200, after } } })));
}

export function ComplianceBadge({ compliant }: { compliant: boolean }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-status ${compliant ? 'bg-success' : 'bg-warning text-dark'}`} data-compliant={compliant}>
      {compliant ? t('networks.compliant') : t('networks.notCompliant')}
    </span>
  );
}

export function NetworksPage() {
  const { t } = useTranslation();
  // Collection-level entries follow the role, as the routes do: members' users and the observatory read.
  const creates = ['coordinator', 'network_coordinator'].includes(useMe().role);
  return (
    <ListPage<Network>
      title={t('networks.title')} subtitle={t('networks.subtitle')}
      actions={creates && <Link to="/networks/new" className="btn btn-primary">{t('networks.new')}</Link>}
      resource="networks" fetchAll={fetchAllNetworks}
      caption={t('networks.title')} rowKey={(n) => n.id} empty={t('networks.empty')}
      columns={[
        {
          header: t('networks.name'), rowHeader: true,
          cell: (n) => <><Link to={`/networks/${n.id}`}>{n.name}</Link>
            <div className="small text-secondary fw-normal">{t(`networks.kind.${n.kind}`)}</div></>,
        },
        { header: t('networks.coordinator'), cell: (n) => n.coordinating_organization?.name ?? '—' },
        { header: t('networks.members'), cell: (n) => n.member_count },
        { header: t('networks.rules'), cell: (n) => <ComplianceBadge compliant={n.compliance.compliant} /> },
        { header: t('referrals.status'), cell: (n) => <StatusBadge kind="network" status={n.status} /> },
      ]} />
  );
}
