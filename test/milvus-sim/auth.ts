/**
 * Authentication as Milvus does it when `common.security.authorizationEnabled` is on: gRPC metadata
 * `authorization` = base64("user:password") (internal/proxy/authentication_interceptor.go); REST
 * `Authorization: Bearer user:password` (or an API key, not reproduced). Passwords are kept as an opaque
 * salted hash; Milvus keeps bcrypt, and BackupRBAC returns whatever is stored so RestoreRBAC can put it back.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Catalog } from './catalog.js';

export function hashPassword(password: string, salt = randomBytes(8).toString('hex')): string {
  return `sim1$${salt}$${createHash('sha256').update(`${salt}:${password}`).digest('hex')}`;
}

export function checkPassword(stored: string, password: string): boolean {
  const [tag, salt] = stored.split('$');
  if (tag !== 'sim1' || !salt) return false;
  return hashPassword(password, salt) === stored;
}

export function decodeGrpcAuthorization(value: string | undefined): { user: string; password: string } | undefined {
  if (!value) return undefined;
  const text = Buffer.from(value, 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i < 0) return undefined;
  return { user: text.slice(0, i), password: text.slice(i + 1) };
}

export function decodeBearer(header: string | undefined): { user: string; password: string } | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(.*)$/i.exec(header.trim());
  if (!m) return undefined;
  const i = m[1].indexOf(':');
  if (i < 0) return undefined;
  return { user: m[1].slice(0, i), password: m[1].slice(i + 1) };
}

export function authenticate(catalog: Catalog, cred: { user: string; password: string } | undefined): string | undefined {
  if (!cred) return undefined;
  const u = catalog.data.users.find((x) => x.name === cred.user);
  return u && checkPassword(u.password, cred.password) ? u.name : undefined;
}
