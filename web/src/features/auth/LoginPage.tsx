// Login: email + password; after login the user goes where they were heading, or to their home.
import { Button } from 'design-react-kit';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../api/problem';
import { useAuth } from '../../auth/AuthContext';
import { homeFor } from '../../auth/roles';
import { ErrorSummary, TextField } from '../../components/Form';
import { useFormErrors } from '../../components/useFormErrors';

function safeNext(next: string | null): string | null {
  // Only same-app paths: never an open redirect.
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : null;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { status, me, login, endedBecause } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors();
  const next = safeNext(params.get('next'));

  useEffect(() => {
    document.title = `${t('auth.title')} · ${t('app.name')}`;
  }, [t]);

  if (status === 'authenticated' && me && !busy) return <Navigate to={next ?? homeFor(me.role)} replace />;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!email.trim()) missing.email = t('validation.required_field', { field: t('auth.email') });
    if (!password) missing.password = t('validation.required_field', { field: t('auth.password') });
    if (Object.keys(missing).length) {
      errors.setGeneral(null);
      errors.setFields(missing);
      return;
    }
    setBusy(true);
    errors.clear();
    try {
      const m = await login(email.trim(), password);
      navigate(next ?? homeFor(m.role), { replace: true });
    } catch (err) {
      if (isApiError(err) && err.status === 401) errors.setGeneral(t('auth.invalidCredentials'));
      else errors.fromError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="container py-5">
      <div className="row justify-content-center">
        <div className="col-12 col-md-8 col-lg-5">
          <div className="card-wrapper">
            <div className="card card-bg shadow-sm">
              <div className="card-body p-4">
                <h1 className="h3 mb-1" id="page-title" tabIndex={-1}>{t('auth.title')}</h1>
                <p className="text-secondary mb-4">{t('auth.intro')}</p>
                {endedBecause && endedBecause !== 'logout' && !errors.general && (
                  <div className="alert alert-warning" role="status" data-testid="session-ended">
                    {t(endedBecause === 'revoked' ? 'auth.sessionRevoked' : endedBecause === 'reused' ? 'auth.sessionReused' : 'auth.sessionExpired')}
                  </div>
                )}
                <ErrorSummary errors={errors.fields} general={errors.general} />
                <form onSubmit={onSubmit} noValidate aria-labelledby="page-title">
                  <TextField id="email" name="email" type="email" autoComplete="username" required
                             label={t('auth.email')} value={email} error={errors.fields.email}
                             onChange={(e) => { setEmail(e.target.value); errors.clearField('email'); }} />
                  <TextField id="password" name="password" type="password" autoComplete="current-password" required
                             label={t('auth.password')} value={password} error={errors.fields.password}
                             onChange={(e) => { setPassword(e.target.value); errors.clearField('password'); }} />
                  <Button color="primary" type="submit" className="w-100" disabled={busy}>
                    {busy ? t('auth.signingIn') : t('auth.submit')}
                  </Button>
                </form>
              </div>
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
