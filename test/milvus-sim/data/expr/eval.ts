/**
 * Compiles a parsed expression against a collection schema into a row predicate. Names resolve like Milvus:
 * a schema field by name; otherwise, when the collection has the dynamic field, a key of `$meta`; unknown
 * names without a dynamic field are an error ("field x not exist"). Nulls never satisfy a comparison.
 */
import type { CollectionView, FieldView, Row, Value } from '../api';
import { Expr, ExprError, Operand, parseExpr } from './parse';

export type Predicate = (row: Row) => boolean;

type V = unknown;

function isNum(v: V): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

function numCmp(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' && Number.isInteger(b)) return numCmp(a, BigInt(b));
  if (typeof b === 'bigint' && Number.isInteger(a)) return numCmp(BigInt(a), b);
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function valuesEqual(a: V, b: V): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (isNum(a) && isNum(b)) return numCmp(a, b) === 0;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  return a === b;
}

function order(a: V, b: V): number | undefined {
  if (isNum(a) && isNum(b)) return numCmp(a, b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function likeToRegex(p: string): RegExp {
  let re = '^';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length) re += p[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(re + '$', 's');
}

function jsonValue(v: Value | undefined): V {
  if (Buffer.isBuffer(v)) {
    try {
      return JSON.parse(v.toString('utf8'));
    } catch {
      return undefined;
    }
  }
  return v;
}

function walk(v: V, path: Array<string | number>): V {
  let cur = v;
  for (const k of path) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof k === 'number') cur = Array.isArray(cur) ? cur[k] : undefined;
    else cur = typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, V>)[k] : undefined;
  }
  return cur;
}

type Getter = (row: Row) => V;

export function compileFilter(c: CollectionView, filter: string): Predicate {
  let ast: Expr | undefined;
  try {
    ast = parseExpr(filter);
  } catch (e) {
    throw new ExprError(`failed to create query plan: cannot parse expression: ${filter}, error: ${(e as Error).message}`);
  }
  if (!ast) return () => true;
  const byName = new Map<string, FieldView>(c.fields.map((f) => [f.name, f]));
  const dyn = c.fields.find((f) => f.isDynamic);

  function operand(o: Operand): Getter {
    switch (o.k) {
      case 'lit':
        return () => o.v;
      case 'list': {
        const items = o.items.map(operand);
        return (r) => items.map((g) => g(r));
      }
      case 'arith': {
        const l = operand(o.l);
        const rr = operand(o.r);
        return (r) => arith(o.op, l(r), rr(r));
      }
      case 'call':
        return call(o.fn, o.args.map(operand));
      case 'field': {
        const f = byName.get(o.name);
        if (f) {
          const id = f.fieldId;
          const isJson = f.dataType === 'JSON';
          if (o.path.length === 0) return (r) => (isJson ? jsonValue(r.get(id)) : r.get(id));
          return (r) => walk(isJson ? jsonValue(r.get(id)) : r.get(id), o.path);
        }
        if (dyn) {
          const id = dyn.fieldId;
          const path = [o.name, ...o.path];
          return (r) => walk(jsonValue(r.get(id)), path);
        }
        throw new ExprError(`failed to create query plan: cannot parse expression: ${filter}, error: field ${o.name} not exist`);
      }
    }
  }

  function arith(op: string, a: V, b: V): V {
    if (!isNum(a) || !isNum(b)) return undefined;
    if (typeof a === 'bigint' && typeof b === 'bigint') {
      if ((op === '/' || op === '%') && b === 0n) return undefined;
      switch (op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return a / b;
        case '%': return a % b;
      }
    }
    const x = Number(a);
    const y = Number(b);
    switch (op) {
      case '+': return x + y;
      case '-': return x - y;
      case '*': return x * y;
      case '/': return x / y;
      case '%': return x % y;
    }
    return undefined;
  }

  function call(fn: string, args: Getter[]): Getter {
    const arr = (r: Row, i: number) => {
      const v = args[i]?.(r);
      return Array.isArray(v) ? v : undefined;
    };
    switch (fn) {
      case 'array_contains':
      case 'json_contains':
        return (r) => !!arr(r, 0)?.some((x) => valuesEqual(x, args[1](r)));
      case 'array_contains_all':
      case 'json_contains_all':
        return (r) => {
          const a = arr(r, 0);
          const b = arr(r, 1);
          return !!a && !!b && b.every((y) => a.some((x) => valuesEqual(x, y)));
        };
      case 'array_contains_any':
      case 'json_contains_any':
        return (r) => {
          const a = arr(r, 0);
          const b = arr(r, 1);
          return !!a && !!b && b.some((y) => a.some((x) => valuesEqual(x, y)));
        };
      case 'array_length':
        return (r) => {
          const a = arr(r, 0);
          return a ? BigInt(a.length) : undefined;
        };
      case 'exists':
        return (r) => args[0](r) !== undefined;
      default:
        throw new ExprError(`failed to create query plan: cannot parse expression: ${filter}, error: function ${fn} not supported`);
    }
  }

  function expr(e: Expr): Predicate {
    switch (e.k) {
      case 'and': {
        const l = expr(e.l);
        const r = expr(e.r);
        return (row) => l(row) && r(row);
      }
      case 'or': {
        const l = expr(e.l);
        const r = expr(e.r);
        return (row) => l(row) || r(row);
      }
      case 'not': {
        const x = expr(e.e);
        return (row) => !x(row);
      }
      case 'cmp': {
        const l = operand(e.l);
        const r = operand(e.r);
        const op = e.op;
        return (row) => {
          const a = l(row);
          const b = r(row);
          if (a === null || a === undefined || b === null || b === undefined) return false;
          if (op === '==') return valuesEqual(a, b);
          if (op === '!=') return !valuesEqual(a, b);
          const o = order(a, b);
          if (o === undefined) return false;
          return op === '<' ? o < 0 : op === '<=' ? o <= 0 : op === '>' ? o > 0 : o >= 0;
        };
      }
      case 'in': {
        const l = operand(e.l);
        const r = operand(e.r);
        // Fast path for `pk in [literals]` over big lists.
        return (row) => {
          const a = l(row);
          const list = r(row);
          if (a === null || a === undefined || !Array.isArray(list)) return false;
          const hit = list.some((x) => valuesEqual(a, x));
          return e.neg ? !hit : hit;
        };
      }
      case 'like': {
        const l = operand(e.l);
        const re = likeToRegex(e.pattern);
        return (row) => {
          const a = l(row);
          return typeof a === 'string' && re.test(a);
        };
      }
      case 'isnull': {
        const l = operand(e.l);
        return (row) => {
          const a = l(row);
          const isNull = a === null || a === undefined;
          return e.neg ? !isNull : isNull;
        };
      }
      case 'value': {
        const g = operand(e.v);
        return (row) => g(row) === true;
      }
    }
  }

  return expr(ast);
}

/**
 * When the filter is exactly `pk in [literals]` or `pk == literal`, the literal primary keys (Milvus's proxy
 * takes this "simple delete" path without querying, so delete_cnt is the number of listed keys).
 */
export function simplePkList(c: CollectionView, filter: string): Array<bigint | string> | undefined {
  const pk = c.fields.find((f) => f.isPrimaryKey);
  if (!pk) return undefined;
  let ast: Expr | undefined;
  try {
    ast = parseExpr(filter);
  } catch {
    return undefined;
  }
  if (!ast) return undefined;
  const isPk = (o: Operand) => o.k === 'field' && o.name === pk.name && o.path.length === 0;
  const norm = (o: Operand): bigint | string | undefined => {
    if (o.k !== 'lit') return undefined;
    if (pk.dataType === 'Int64' && typeof o.v === 'bigint') return o.v;
    if (pk.dataType !== 'Int64' && typeof o.v === 'string') return o.v;
    return undefined;
  };
  if (ast.k === 'in' && !ast.neg && isPk(ast.l) && ast.r.k === 'list') {
    const vals = ast.r.items.map(norm);
    return vals.every((v) => v !== undefined) ? (vals as Array<bigint | string>) : undefined;
  }
  if (ast.k === 'cmp' && ast.op === '==' && isPk(ast.l)) {
    const v = norm(ast.r);
    return v === undefined ? undefined : [v];
  }
  return undefined;
}
