import { Type } from '@sinclair/typebox';

/** Seed 004 §2.4 response, keys in the seed's order with the seed's JSON types. */
export const BasicSettingsSchema = Type.Object({
  vchcardreadercom: Type.String(),
  yeainstallyear: Type.String(),
  intinstallmonth: Type.Integer(),
  blncurrentdistribution: Type.Integer(),
  vchpowermetercom: Type.String(),
  vchpowersequence: Type.String(),
  intcurrency: Type.Integer(),
  dblchargingdeductionpower: Type.Number(),
  intchargingdeductionminute: Type.Integer(),
  intdeductionprioritypower: Type.Integer(),
  intdeductionpriorityminute: Type.Integer(),
  dblpowercoefficient: Type.Number(),
  blninternaltesting: Type.Integer(),
  intmaxcurrenta: Type.Integer(),
  intmaxcurrentb: Type.Integer(),
  intmaxcurrentc: Type.Integer(),
});

/** Seed 004 §2.5 body: any subset of the settings; numbers may come as strings from forms. */
export const SettingsUpdateSchema = Type.Partial(
  Type.Object(
    Object.fromEntries(
      Object.entries(BasicSettingsSchema.properties).map(([k, v]) => [
        k,
        v.type === 'string' ? v : Type.Union([v, Type.String()]),
      ]),
    ),
  ),
);
