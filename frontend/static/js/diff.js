// diff.js compares two texts word by word, for showing what a class changed in a clause its pupil
// council wrote. Words and the spaces between them are the units, so a changed word shows whole.

// MaxUnits bounds the comparison (it takes time and memory in the product of the two lengths);
// past it the whole text counts as replaced.
const MaxUnits = 1500;

// wordDiff returns the parts of a diff from a to b: ['=', text] kept, ['-', text] only in a,
// ['+', text] only in b. Neighbouring parts of a kind are joined; where words were replaced, the
// removed ones come before the added ones.
export function wordDiff(a, b) {
  const x = units(a), y = units(b);
  if (x.length > MaxUnits || y.length > MaxUnits) return join([['-', a], ['+', b]].filter((p) => p[1] !== ''));
  const n = x.length, m = y.length;
  // lcs[i][j]: the length of the longest common run of units of x[i..] and y[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) out.push(['=', x[i++]]), j++;
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) out.push(['-', x[i++]]);
    else out.push(['+', y[j++]]);
  }
  return join(out);
}

// units splits a text into words and the runs of spaces between them.
function units(s) { return s.match(/\s+|[^\s]+/g) ?? []; }

function join(parts) {
  const out = [];
  for (const [kind, text] of parts) {
    const last = out[out.length - 1];
    if (last && last[0] === kind) last[1] += text;
    else out.push([kind, text]);
  }
  return out;
}
