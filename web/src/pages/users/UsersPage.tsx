import { useAuth } from '../../auth/context.tsx';
import { ErrorBox } from '../../components/States.tsx';
import { ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/context.tsx';
import { TokensPanel } from './TokensPanel.tsx';
import { UsersPanel } from './UsersPanel.tsx';

/** User administration (SPEC §6, §8): users and API tokens, admins only. */
export default function UsersPage() {
  const { can } = useAuth();
  const { t } = useI18n();
  if (!can('admin')) return <ErrorBox error={new ApiError(403, 'FORBIDDEN', t('users.adminOnly'))} />;
  return (
    <div className="page users grid two" data-testid="page-users">
      <UsersPanel />
      <TokensPanel />
    </div>
  );
}
