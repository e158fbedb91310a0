/**
 * Parser for the part of Milvus's boolean expression language (internal/parser/planparserv2/Plan.g4) that
 * tests, backup and restore need: literals, field names (with JSON paths `f["k"][0]`, dynamic keys, `$meta`),
 * `== != < <= > >=`, chained ranges `a < f < b`, `in` / `not in`, `like`, `and/&&`, `or/||`, `not/!`,
 * parentheses, `+ - * / %` on operands, and the functions array_contains(_all/_any), array_length,
 * json_contains(_all/_any), exists.
 */

export type Operand =
  | { k: 'field'; name: string; path: Array<string | number> }
  | { k: 'lit'; v: unknown }
  | { k: 'list'; items: Operand[] }
  | { k: 'arith'; op: '+' | '-' | '*' | '/' | '%'; l: Operand; r: Operand }
  | { k: 'call'; fn: string; args: Operand[] };

export type Expr =
  | { k: 'or' | 'and'; l: Expr; r: Expr }
  | { k: 'not'; e: Expr }
  | { k: 'cmp'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; l: Operand; r: Operand }
  | { k: 'in'; neg: boolean; l: Operand; r: Operand }
  | { k: 'like'; l: Operand; pattern: string }
  | { k: 'isnull'; neg: boolean; l: Operand }
  | { k: 'value'; v: Operand }; // bare boolean operand (field, literal, function call)

export class ExprError extends Error {}

type Tok = { t: 'num'; v: number | bigint; raw: string } | { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'op'; v: string } | { t: 'eof' };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F]+|[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)/.exec(src.slice(i))!;
      const raw = m[0];
      const isInt = /^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(raw);
      out.push({ t: 'num', v: isInt ? BigInt(raw) : Number(raw), raw });
      i += raw.length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const n = src[j + 1];
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) throw new ExprError(`unterminated string literal in expression: ${src}`);
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '&&', '||', '**'].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('<>()[],!+-*/%'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    throw new ExprError(`cannot parse expression: ${src}, unexpected character '${c}'`);
  }
  out.push({ t: 'eof' });
  return out;
}

const KW = (t: Tok, w: string) => t.t === 'id' && t.v.toLowerCase() === w;

export function parseExpr(src: string): Expr | undefined {
  if (src.trim() === '') return undefined;
  const toks = lex(src);
  let p = 0;
  const peek = () => toks[p];
  const next = () => toks[p++];
  const isOp = (v: string) => {
    const t = peek();
    return t.t === 'op' && t.v === v;
  };
  const expectOp = (v: string) => {
    if (!isOp(v)) throw new ExprError(`cannot parse expression: ${src}, expected '${v}'`);
    p++;
  };

  function orExpr(): Expr {
    let l = andExpr();
    while (isOp('||') || KW(peek(), 'or')) {
      p++;
      l = { k: 'or', l, r: andExpr() };
    }
    return l;
  }
  function andExpr(): Expr {
    let l = unary();
    while (isOp('&&') || KW(peek(), 'and')) {
      p++;
      l = { k: 'and', l, r: unary() };
    }
    return l;
  }
  function unary(): Expr {
    if (isOp('!') || (KW(peek(), 'not') && !(toks[p + 1].t === 'id' && KW(toks[p + 1], 'in')))) {
      p++;
      return { k: 'not', e: unary() };
    }
    return predicate();
  }
  function predicate(): Expr {
    // Parenthesised boolean expression vs. parenthesised arithmetic: try boolean first.
    if (isOp('(')) {
      const save = p;
      p++;
      try {
        const e = orExpr();
        expectOp(')');
        if (!isCmpStart()) return e;
      } catch {
        /* fall through to operand parsing */
      }
      p = save;
    }
    const l = additive();
    const t = peek();
    if (t.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      p++;
      const r = additive();
      const t2 = peek();
      if (t2.t === 'op' && ['<', '<=', '>', '>='].includes(t2.v) && ['<', '<=', '>', '>='].includes(t.v)) {
        // chained range: a < f < b
        p++;
        const r2 = additive();
        return {
          k: 'and',
          l: { k: 'cmp', op: t.v as '<', l, r },
          r: { k: 'cmp', op: t2.v as '<', l: r, r: r2 },
        };
      }
      return { k: 'cmp', op: t.v as '==', l, r };
    }
    if (KW(t, 'in')) {
      p++;
      return { k: 'in', neg: false, l, r: additive() };
    }
    if (KW(t, 'not') && KW(toks[p + 1], 'in')) {
      p += 2;
      return { k: 'in', neg: true, l, r: additive() };
    }
    if (KW(t, 'like')) {
      p++;
      const s = next();
      if (s.t !== 'str') throw new ExprError(`cannot parse expression: ${src}, like needs a string pattern`);
      return { k: 'like', l, pattern: s.v };
    }
    if (KW(t, 'is')) {
      p++;
      let neg = false;
      if (KW(peek(), 'not')) {
        p++;
        neg = true;
      }
      if (!KW(peek(), 'null')) throw new ExprError(`cannot parse expression: ${src}, expected null`);
      p++;
      return { k: 'isnull', neg, l };
    }
    return { k: 'value', v: l };
  }
  function isCmpStart(): boolean {
    const t = peek();
    return (t.t === 'op' && ['==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%'].includes(t.v)) || KW(t, 'in') || KW(t, 'like') || (KW(t, 'not') && KW(toks[p + 1], 'in'));
  }
  function additive(): Operand {
    let l = multiplicative();
    while (isOp('+') || isOp('-')) {
      const op = next() as { v: '+' | '-' };
      l = { k: 'arith', op: op.v, l, r: multiplicative() };
    }
    return l;
  }
  function multiplicative(): Operand {
    let l = operand();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = next() as { v: '*' | '/' | '%' };
      l = { k: 'arith', op: op.v, l, r: operand() };
    }
    return l;
  }
  function operand(): Operand {
    const t = next();
    if (t.t === 'num') return { k: 'lit', v: t.v };
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'op' && t.v === '-') {
      const o = operand();
      if (o.k === 'lit' && typeof o.v === 'bigint') return { k: 'lit', v: -o.v };
      if (o.k === 'lit' && typeof o.v === 'number') return { k: 'lit', v: -o.v };
      return { k: 'arith', op: '-', l: { k: 'lit', v: 0n }, r: o };
    }
    if (t.t === 'op' && t.v === '+') return operand();
    if (t.t === 'op' && t.v === '(') {
      const o = additive();
      expectOp(')');
      return o;
    }
    if (t.t === 'op' && t.v === '[') {
      const items: Operand[] = [];
      if (!isOp(']')) {
        items.push(additive());
        while (isOp(',')) {
          p++;
          if (isOp(']')) break;
          items.push(additive());
        }
      }
      expectOp(']');
      return { k: 'list', items };
    }
    if (t.t === 'id') {
      const lw = t.v.toLowerCase();
      if (lw === 'true') return { k: 'lit', v: true };
      if (lw === 'false') return { k: 'lit', v: false };
      if (isOp('(')) {
        p++;
        const args: Operand[] = [];
        if (!isOp(')')) {
          args.push(additive());
          while (isOp(',')) {
            p++;
            args.push(additive());
          }
        }
        expectOp(')');
        return { k: 'call', fn: lw, args };
      }
      const path: Array<string | number> = [];
      while (isOp('[')) {
        p++;
        const k = next();
        if (k.t === 'str') path.push(k.v);
        else if (k.t === 'num') path.push(Number(k.v));
        else throw new ExprError(`cannot parse expression: ${src}, bad JSON path`);
        expectOp(']');
      }
      return { k: 'field', name: t.v, path };
    }
    throw new ExprError(`cannot parse expression: ${src}`);
  }

  const e = orExpr();
  if (peek().t !== 'eof') throw new ExprError(`cannot parse expression: ${src}`);
  return e;
}
