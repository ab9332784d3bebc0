import { describe, expect, it } from 'vitest';
import { prettyJson } from './pretty-json.ts';

describe('prettyJson', () => {
  it('keeps short containers on one line and breaks long ones', () => {
    const doc = {
      name: 'cap',
      rules: [
        {
          id: 'max',
          require: { '<=': [{ var: 'request.max_tokens' }, 256] },
          message: 'max_tokens must be at most 256',
        },
      ],
    };
    const text = prettyJson(doc, 60);
    expect(text).toBe(
      [
        '{',
        '  "name": "cap",',
        '  "rules": [',
        '    {',
        '      "id": "max",',
        '      "require": {"<=": [{"var": "request.max_tokens"}, 256]},',
        '      "message": "max_tokens must be at most 256"',
        '    }',
        '  ]',
        '}',
      ].join('\n'),
    );
    expect(JSON.parse(text)).toEqual(doc);
  });

  it('never changes the value, whatever the strings hold', () => {
    const tricky = {
      'a":b': 'x,"y":1',
      list: [1, -2, true, null, 'a, b'],
      nested: { deep: { deeper: ['z'.repeat(80)] } },
    };
    expect(JSON.parse(prettyJson(tricky, 20))).toEqual(tricky);
    expect(prettyJson(null)).toBe('null');
    expect(prettyJson([])).toBe('[]');
  });
});
