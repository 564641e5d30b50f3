import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Static } from '@sinclair/typebox';
import { RecordDetailSchema } from '../../server/api/seed/schemas.ts';
import type { RecordFull } from '../../web/src/api/seed-types.ts';
import { RECORD_FIELDS } from '../../web/src/i18n/record-fields.ts';

type Served = Static<typeof RecordDetailSchema>['result'];
// The web's record type has exactly the fields the server answers (a field added to one fails the typecheck).
const sameKeys: [keyof Served] extends [keyof RecordFull]
  ? [keyof RecordFull] extends [keyof Served]
    ? true
    : false
  : false = true;

describe('the record modal field list (web/src/i18n/record-fields.ts)', () => {
  it('labels every field of the seed 2.2 record, in the order the server answers them', () => {
    assert.equal(sameKeys, true);
    assert.deepEqual(Object.keys(RECORD_FIELDS), Object.keys(RecordDetailSchema.properties.result.properties));
  });

  it('has a label in both languages for each', () => {
    for (const [k, f] of Object.entries(RECORD_FIELDS)) {
      assert.ok(f.en.trim() && f.zh.trim(), k);
      assert.notEqual(f.en, f.zh, `${k}: the zh label is translated`);
    }
  });
});
