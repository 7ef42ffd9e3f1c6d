// The credentials of an integration client, right after creation or rotation (the only time
// the API returns the secret): client_id, client_secret, token URL and grant type.
import { useTranslation } from 'react-i18next';
import type { IntegrationClientWithSecret } from '../../api/types';
import { SecretPanel } from '../../components/SecretPanel';
import { TOKEN_URL } from './labels';

export function ClientSecretPanel({ client, title, onDone, doneLabel }: {
  client: IntegrationClientWithSecret;
  title: string;
  onDone?: () => void;
  doneLabel?: string;
}) {
  const { t } = useTranslation();
  return (
    <SecretPanel title={title} onDone={onDone} doneLabel={doneLabel} items={[
      { id: 'client-id', label: t('integrations.clientId'), value: client.client_id },
      { id: 'client-secret', label: t('integrations.clientSecret'), value: client.client_secret },
      { id: 'token-url', label: t('integrations.tokenUrl'), value: TOKEN_URL },
    ]}>
      <p className="mb-1"><span className="fw-semibold">{t('integrations.grantType')}:</span> <code>client_credentials</code></p>
      <p>{t('integrations.howTo')}</p>
      <p className="fw-semibold mb-1">{t('integrations.example')}</p>
      <pre className="small" data-testid="token-example">
        {`curl -X POST ${TOKEN_URL} \\\n  -u '${client.client_id}:<client_secret>' \\\n  -d grant_type=client_credentials`}
      </pre>
    </SecretPanel>
  );
}
