import type { SettingsKey } from '../../../contracts/settings.ts';
import type { Lang } from './context.tsx';

/** Labels of the seed's settings fields (seed 004 §2.4), both languages. */
export const SETTINGS_LABELS: Record<SettingsKey, Record<Lang, string>> = {
  vchcardreadercom: { en: 'Card reader port', zh: '读卡器串口' },
  yeainstallyear: { en: 'Installation year', zh: '安装年份' },
  intinstallmonth: { en: 'Months in service', zh: '安装月数' },
  blncurrentdistribution: { en: 'Load management (0/1)', zh: '电流分配（0/1）' },
  vchpowermetercom: { en: 'Power meter port', zh: '电表串口' },
  vchpowersequence: { en: 'Phase sequence', zh: '相序' },
  intcurrency: { en: 'Currency code', zh: '货币代码' },
  dblchargingdeductionpower: { en: 'Deduction energy (kWh)', zh: '充电扣减电量（kWh）' },
  intchargingdeductionminute: { en: 'Deduction minutes', zh: '充电扣减分钟' },
  intdeductionprioritypower: { en: 'Energy deduction priority', zh: '电量扣减优先级' },
  intdeductionpriorityminute: { en: 'Minute deduction priority', zh: '时长扣减优先级' },
  dblpowercoefficient: { en: 'Power coefficient', zh: '功率系数' },
  blninternaltesting: { en: 'Internal testing (0/1)', zh: '内部测试（0/1）' },
  intmaxcurrenta: { en: 'Max current phase A (A)', zh: 'A 相最大电流（A）' },
  intmaxcurrentb: { en: 'Max current phase B (A)', zh: 'B 相最大电流（A）' },
  intmaxcurrentc: { en: 'Max current phase C (A)', zh: 'C 相最大电流（A）' },
};
