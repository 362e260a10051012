import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../api/hooks';
import type { ApiError } from '../api/client';
import { ErrorNote } from '../components/bits';
import { LanguageSwitch } from '../components/language-switch';
import { useSessionState } from '../session/session';

/**
 * Sign-in with an API key, and for a self-held user its key file too; checked with GET /me
 * (through the offline flow with a key file) and kept in memory for this page only.
 */
export function SignIn(): ReactNode {
  const { t } = useTranslation();
  const { signIn } = useSessionState();
  const [key, setKey] = useState('');
  const [keyFile, setKeyFile] = useState<File | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(key, keyFile);
    } catch (caught) {
      setError(asApiError(caught));
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <div className="sign-in-top">
        <h1>{t('app.title')}</h1>
        <LanguageSwitch />
      </div>
      <p>{t('signIn.intro')}</p>
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor="api-key">{t('signIn.apiKey')}</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          required
        />
        <label htmlFor="key-file">{t('signIn.keyFile')}</label>
        <input
          id="key-file"
          type="file"
          accept=".pem,application/x-pem-file"
          aria-describedby="key-file-hint"
          onChange={(e) => setKeyFile(e.target.files?.[0])}
        />
        <p id="key-file-hint" className="hint">
          {t('signIn.keyFileHint')}
        </p>
        <button type="submit" disabled={busy || key.trim() === ''}>
          {t('signIn.submit')}
        </button>
      </form>
      <p className="hint">{t('signIn.keptInMemory')}</p>
      <ErrorNote error={error} />
    </main>
  );
}
