import {
  maskSecret,
  maskSecretsInMessage,
  secretsInMessageData,
} from './maskSecrets';

describe('maskSecrets', () => {
  it('shows at most the first 4 characters, fewer of short values', () => {
    expect(maskSecret({ value: 'abcdefghijklmnopqrstuvwxyz' })).toBe(
      'abcd****',
    );
    expect(maskSecret({ value: 'abcdefgh' })).toBe('ab****');
    expect(maskSecret({ value: 'abc' })).toBe('****');
  });

  it('masks every occurrence, longest secret first', () => {
    expect(
      maskSecretsInMessage({
        message: 'found abcdefgh1234 in abcdefgh1234567890',
        secrets: ['abcdefgh1234', 'abcdefgh1234567890'],
      }),
    ).toBe('found abc**** in abcd****');
  });

  it('leaves values too short to be secrets alone', () => {
    expect(
      maskSecretsInMessage({ message: 'found a in abc', secrets: ['a'] }),
    ).toBe('found a in abc');
  });

  it('takes data values that occur in the source as secrets, not labels', () => {
    expect(
      secretsInMessageData({
        data: {
          KEY: 'tok_1234567890',
          typeName: 'personal tokens',
          nested: ['tok_1234567890x'],
        },
        content: 'const t = "tok_1234567890x";',
      }),
    ).toEqual(['tok_1234567890', 'tok_1234567890x']);
  });
});
