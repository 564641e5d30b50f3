import { useAuth } from '../../auth/context.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { TokensPanel } from './TokensPanel.tsx';
import { UsersPanel } from './UsersPanel.tsx';

/** User administration (docs/PRODUCT.md §6, §8): users and API tokens, admins only. */
export default function UsersPage() {
  const { can } = useAuth();
  const { t } = useI18n();
  if (!can('admin'))
    return (
      <div className="state state-error" role="alert">
        {t('users.adminOnly')}
      </div>
    );
  return (
    <div className="page users grid two" data-testid="page-users">
      <UsersPanel />
      <TokensPanel />
    </div>
  );
}
