import type { Session } from '../../api/transactions.ts';
import { Table } from '../../components/Table.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { actionLabel } from '../devices/command-labels.ts';

type Command = Session['commands'][number];

/** The commands sent to the charger while the session ran (command_log): the load controller's and operators'. */
export function SessionCommands({ commands }: { commands: Command[] }) {
  const { t, lang, date, num } = useI18n();
  if (commands.length === 0) return <div className="state state-empty">{t('sessions.noCommands')}</div>;
  return (
    <Table
      testId="session-commands"
      rows={commands}
      rowKey={(c) => c.id}
      columns={[
        { key: 'at', title: t('sessions.at'), render: (c) => date(c.requestedAt) },
        { key: 'action', title: t('sessions.command'), render: (c) => actionLabel(c.action, lang) },
        { key: 'by', title: t('sessions.by'), render: (c) => c.requestedBy },
        { key: 'outcome', title: t('sessions.outcome'), render: (c) => c.status ?? c.outcome },
        {
          key: 'took',
          title: t('sessions.tookMs'),
          render: (c) => (c.durationMs === null ? '—' : num(c.durationMs, 0)),
          className: 'num',
        },
      ]}
    />
  );
}
