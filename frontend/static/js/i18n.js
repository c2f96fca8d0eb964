// i18n.js gives scripts the same messages as the server (locales/*.toml, served as JSON at
// /i18n/<lang>), with plural forms chosen by the browser's CLDR rules (Intl.PluralRules).

/** load fetches the messages of a language. */
export async function load(lang) {
  const res = await fetch('/i18n/' + encodeURIComponent(lang), { credentials: 'same-origin' });
  return new Messages(lang, res.ok ? await res.json() : {});
}

export class Messages {
  constructor(lang, msgs) {
    this.lang = lang;
    this.msgs = msgs;
    this.rules = new Intl.PluralRules(lang);
  }

  /** t returns a message with its {{.Placeholders}} filled from data. */
  t(id, data = {}) {
    const m = this.msgs[id];
    return fill(typeof m === 'string' ? m : m?.other ?? id, data);
  }

  /** n returns the plural form of a message for count, as the language's rules choose it. */
  n(id, count, data = {}) {
    const m = this.msgs[id];
    if (typeof m === 'string') return fill(m, { Count: count, ...data });
    const text = m?.[this.rules.select(count)] ?? m?.other ?? id;
    return fill(text, { Count: count, ...data });
  }
}

function fill(text, data) {
  return text.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_, k) => (k in data ? String(data[k]) : ''));
}
