/**
 * Find where JSON text first goes wrong. Browsers word JSON.parse errors differently and some (V8
 * for "Unexpected token") give no position at all, so after JSON.parse fails we scan the text
 * ourselves to point at a line and column consistently everywhere.
 */
export function locateJsonError(text: string): { position: number; reason: string } {
  let i = 0;
  class Stop extends Error {
    readonly position: number;
    constructor(reason: string, position: number) {
      super(reason);
      this.position = position;
    }
  }
  const fail = (reason: string): never => {
    throw new Stop(reason, i);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const describe = () =>
    i >= text.length ? 'unexpected end of text' : `unexpected ${JSON.stringify(text[i])}`;
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const n = text[i + 1];
        if (n === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape');
          i += 6;
        } else if (n !== undefined && '"\\/bfnrt'.includes(n)) i += 2;
        else fail('bad escape in string');
      } else if (c < ' ') fail('unescaped control character or line break in string');
      else i++;
    }
    fail('unterminated string');
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"')
          fail(text[i] === '}' ? 'trailing comma' : `expected a "quoted" property name, ${describe()}`);
        string();
        ws();
        if (text[i] !== ':') fail(`expected ":", ${describe()}`);
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected "," or "}", ${describe()}`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] === ']') fail('trailing comma');
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected "," or "]", ${describe()}`);
      }
    }
    if (c === '"') {
      string();
      return;
    }
    const lit = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i));
    if (lit) {
      i += lit[0].length;
      return;
    }
    fail(c === "'" ? 'strings need double quotes' : `expected a value, ${describe()}`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected text after the end, ${describe()}`);
  } catch (e) {
    if (e instanceof Stop) return { position: e.position, reason: e.message };
    throw e;
  }
  return { position: text.length, reason: 'invalid JSON' };
}
