/**
 * Users, roles, grants, privilege groups, BackupRBAC / RestoreRBAC (internal/rootcoord/root_coord.go RBAC
 * section; docs: https://milvus.io/docs/users_and_roles.md, grant_privileges.md, privilege_group.md,
 * rbac-backup-restore? (milvus-backup --rbac)). Stored only; privileges are not enforced on calls.
 * Passwords arrive base64-encoded (every SDK encodes them, and the proxy decodes).
 */
import type { HandlerMap, Req } from './common.js';
import { hashPassword, checkPassword } from '../auth.js';
import type { GrantRecord } from '../catalog.js';
import { ErrCode, MilvusError, errors } from '../milvusError.js';
import type { SimState } from '../state.js';

const BUILTIN_ROLES = ['admin', 'public'];
const USER_RE = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

function decodePassword(b64: string): string {
  return Buffer.from(b64 ?? '', 'base64').toString('utf8');
}

function checkPasswordLength(p: string): void {
  if (p.length < 6 || p.length > 256) throw errors.paramRaw(`invalid password length: the length of password must be greater than 6 and less than 256 characters`);
}

function grantEntity(g: GrantRecord) {
  return {
    role: { name: g.role },
    object: { name: g.object },
    object_name: g.objectName,
    grantor: { user: { name: g.grantor }, privilege: { name: g.privilege } },
    db_name: g.dbName,
  };
}

function sameGrant(a: GrantRecord, b: GrantRecord): boolean {
  return a.role === b.role && a.object === b.object && a.objectName === b.objectName && a.dbName === b.dbName && a.privilege === b.privilege;
}

function grantFrom(e: Req, grantor: string, currentDb = 'default'): GrantRecord {
  return {
    role: String(e.role?.name ?? ''),
    object: String(e.object?.name ?? ''),
    objectName: String(e.object_name ?? ''),
    dbName: String(e.db_name || currentDb),
    grantor: String(e.grantor?.user?.name || grantor),
    privilege: String(e.grantor?.privilege?.name ?? ''),
  };
}

function requireRole(s: SimState, name: string): void {
  if (!s.catalog.data.roles.includes(name)) throw errors.paramRaw(`not found the role, maybe the role isn't existed or internal system error: role [${name}]`);
}

export const rbacHandlers: HandlerMap = {
  CreateCredential(req, _ctx, s) {
    const user = String(req.username ?? '');
    if (!USER_RE.test(user)) throw errors.paramRaw(`invalid username ${user}`);
    const pw = decodePassword(req.password);
    checkPasswordLength(pw);
    if (s.catalog.data.users.some((u) => u.name === user)) {
      throw new MilvusError(ErrCode.Unexpected, `user already exists:${user}`, false, 'CreateCredentialFailure');
    }
    s.catalog.data.users.push({ name: user, password: hashPassword(pw), roles: [] });
    s.catalog.save();
    return {};
  },

  UpdateCredential(req, _ctx, s) {
    const u = s.catalog.data.users.find((x) => x.name === req.username);
    if (!u) throw new MilvusError(ErrCode.Unexpected, `user not found: ${req.username}`, false, 'UpdateCredentialFailure');
    const oldPw = decodePassword(req.oldPassword);
    if (!checkPassword(u.password, oldPw)) throw new MilvusError(ErrCode.PrivilegeNotAuthenticated, 'old password not correct', false, 'UpdateCredentialFailure');
    const pw = decodePassword(req.newPassword);
    checkPasswordLength(pw);
    u.password = hashPassword(pw);
    s.catalog.save();
    return {};
  },

  DeleteCredential(req, _ctx, s) {
    if (req.username === 'root') throw errors.paramRaw('root user cannot be deleted');
    s.catalog.data.users = s.catalog.data.users.filter((u) => u.name !== req.username);
    s.catalog.save();
    return {};
  },

  ListCredUsers(_req, _ctx, s) {
    return { usernames: s.catalog.data.users.map((u) => u.name) };
  },

  CreateRole(req, _ctx, s) {
    const name = String(req.entity?.name ?? '');
    if (!USER_RE.test(name)) throw errors.paramRaw(`invalid role name ${name}`);
    if (s.catalog.data.roles.includes(name)) throw new MilvusError(ErrCode.Unexpected, `role [name:"${name}"] already exists`, false, 'CreateRoleFailure');
    s.catalog.data.roles.push(name);
    s.catalog.save();
    return {};
  },

  DropRole(req, _ctx, s) {
    const name = String(req.role_name ?? '');
    if (BUILTIN_ROLES.includes(name)) throw errors.paramRaw(`the role[${name}] is a default role, which can't be dropped`);
    requireRole(s, name);
    const grants = s.catalog.data.grants.filter((g) => g.role === name);
    if (grants.length && !req.force_drop) throw errors.paramRaw(`fail to drop the role that it has privileges. Use REVOKE API to revoke privileges`);
    s.catalog.data.grants = s.catalog.data.grants.filter((g) => g.role !== name);
    s.catalog.data.roles = s.catalog.data.roles.filter((r) => r !== name);
    for (const u of s.catalog.data.users) u.roles = u.roles.filter((r) => r !== name);
    s.catalog.save();
    return {};
  },

  OperateUserRole(req, _ctx, s) {
    const u = s.catalog.data.users.find((x) => x.name === req.username);
    if (!u) throw errors.paramRaw(`not found the user, maybe the user isn't existed or internal system error: user [${req.username}]`);
    requireRole(s, String(req.role_name));
    if (req.type === 'RemoveUserFromRole') u.roles = u.roles.filter((r) => r !== req.role_name);
    else if (!u.roles.includes(String(req.role_name))) u.roles.push(String(req.role_name));
    s.catalog.save();
    return {};
  },

  SelectRole(req, _ctx, s) {
    const wanted = req.role?.name ? [String(req.role.name)] : s.catalog.data.roles;
    if (req.role?.name && !s.catalog.data.roles.includes(String(req.role.name))) return { results: [] };
    return {
      results: wanted.map((r) => ({
        role: { name: r },
        users: req.include_user_info ? s.catalog.data.users.filter((u) => u.roles.includes(r)).map((u) => ({ name: u.name })) : [],
      })),
    };
  },

  SelectUser(req, _ctx, s) {
    const users = req.user?.name ? s.catalog.data.users.filter((u) => u.name === req.user.name) : s.catalog.data.users;
    return {
      results: users.map((u) => ({ user: { name: u.name }, roles: req.include_role_info ? u.roles.map((r) => ({ name: r })) : [] })),
    };
  },

  OperatePrivilege(req, ctx, s) {
    // no db_name in the entity: the request's database (dbname header), as the proxy fills it
    const g = grantFrom(req.entity ?? {}, ctx.user ?? 'root', ctx.headerDb || 'default');
    requireRole(s, g.role);
    if (!g.privilege) throw errors.paramRaw('privilege name should not be empty');
    if (req.type === 'Revoke') s.catalog.data.grants = s.catalog.data.grants.filter((x) => !sameGrant(x, g));
    else if (!s.catalog.data.grants.some((x) => sameGrant(x, g))) s.catalog.data.grants.push(g);
    s.catalog.save();
    return {};
  },

  OperatePrivilegeV2(req, ctx, s) {
    const db = String(req.db_name || 'default');
    const coll = String(req.collection_name || '*');
    const object = db === '*' && coll === '*' ? 'Global' : 'Collection';
    const g: GrantRecord = {
      role: String(req.role?.name ?? ''),
      object,
      objectName: coll,
      dbName: db,
      grantor: ctx.user ?? 'root',
      privilege: String(req.grantor?.privilege?.name ?? ''),
    };
    requireRole(s, g.role);
    if (req.type === 'Revoke') s.catalog.data.grants = s.catalog.data.grants.filter((x) => !sameGrant(x, g));
    else if (!s.catalog.data.grants.some((x) => sameGrant(x, g))) s.catalog.data.grants.push(g);
    s.catalog.save();
    return {};
  },

  SelectGrant(req, _ctx, s) {
    const e = req.entity ?? {};
    const role = String(e.role?.name ?? '');
    if (!role) throw errors.paramRaw('the role entity in the grant entity is invalid');
    let gs = s.catalog.data.grants.filter((g) => g.role === role);
    if (e.object?.name) gs = gs.filter((g) => g.object === e.object.name);
    if (e.object_name) gs = gs.filter((g) => g.objectName === e.object_name);
    if (e.db_name && e.db_name !== '*') gs = gs.filter((g) => g.dbName === e.db_name); // "*" = every database
    return { entities: gs.map(grantEntity) };
  },

  CreatePrivilegeGroup(req, _ctx, s) {
    const name = String(req.group_name ?? '');
    if (!USER_RE.test(name)) throw errors.paramRaw(`invalid privilege group name ${name}`);
    if (s.catalog.data.privilegeGroups.some((g) => g.name === name)) throw errors.paramRaw(`privilege group name [${name}] is defined by users: invalid parameter`);
    s.catalog.data.privilegeGroups.push({ name, privileges: [] });
    s.catalog.save();
    return {};
  },

  DropPrivilegeGroup(req, _ctx, s) {
    if (!s.catalog.data.privilegeGroups.some((g) => g.name === req.group_name)) throw errors.plain('the privilege group is not a custom privilege group');
    const user = s.catalog.data.grants.find((g) => g.privilege === req.group_name);
    if (user) throw errors.paramRaw(`privilege group [${req.group_name}] is used by role [${user.role}], Use REVOKE API to revoke it first: invalid parameter`);
    s.catalog.data.privilegeGroups = s.catalog.data.privilegeGroups.filter((g) => g.name !== req.group_name);
    s.catalog.save();
    return {};
  },

  ListPrivilegeGroups(_req, _ctx, s) {
    return { privilege_groups: s.catalog.data.privilegeGroups.map((g) => ({ group_name: g.name, privileges: g.privileges.map((p) => ({ name: p })) })) };
  },

  OperatePrivilegeGroup(req, _ctx, s) {
    const g = s.catalog.data.privilegeGroups.find((x) => x.name === req.group_name);
    if (!g) throw errors.paramRaw(`there is no privilege group name [${req.group_name}] defined in system to operate: invalid parameter`);
    const names = ((req.privileges as Array<{ name: string }>) ?? []).map((p) => p.name);
    if (names.length === 0) throw errors.paramRaw('privileges is empty when alter the privilege group: invalid parameter');
    if (req.type === 'RemovePrivilegesFromGroup') g.privileges = g.privileges.filter((p) => !names.includes(p));
    else for (const n of names) if (!g.privileges.includes(n)) g.privileges.push(n);
    s.catalog.save();
    return {};
  },

  BackupRBAC(_req, _ctx, s) {
    const d = s.catalog.data;
    return {
      RBAC_meta: {
        // kv_catalog BackupRBAC: never the root user, never the built-in roles
        users: d.users.filter((u) => u.name !== 'root').map((u) => ({ user: u.name, password: u.password, roles: u.roles.map((r) => ({ name: r })) })),
        roles: d.roles.filter((r) => !BUILTIN_ROLES.includes(r)).map((r) => ({ name: r })),
        grants: d.grants.map(grantEntity),
        privilege_groups: d.privilegeGroups.map((g) => ({ group_name: g.name, privileges: g.privileges.map((p) => ({ name: p })) })),
      },
    };
  },

  RestoreRBAC(req, _ctx, s) {
    const meta = req.RBAC_meta ?? {};
    const d = s.catalog.data;
    // MetaTable.CheckIfRBACRestorable: the whole restore is refused when anything already exists.
    const empty = ['roles', 'users', 'grants', 'privilege_groups'].every((k) => !((meta[k] as unknown[]) ?? []).length);
    if (empty) throw errors.plain('empty RBAC meta to restore');
    for (const r of (meta.roles as Array<{ name: string }>) ?? []) if (d.roles.includes(r.name)) throw errors.paramRaw(`role [${r.name}] already exists`);
    const rolesAfter = new Set([...d.roles, ...((meta.roles as Array<{ name: string }>) ?? []).map((r) => r.name)]);
    for (const u of (meta.users as Array<{ user: string; roles?: Array<{ name: string }> }>) ?? []) {
      if (d.users.some((x) => x.name === u.user)) throw errors.paramRaw(`user [${u.user}] already exists`);
      for (const r of u.roles ?? []) if (!rolesAfter.has(r.name)) throw errors.paramRaw(`role [${r.name}] does not exist`);
    }
    for (const g of (meta.privilege_groups as Array<{ group_name: string }>) ?? []) {
      if (d.privilegeGroups.some((x) => x.name === g.group_name)) throw errors.paramRaw(`privilege group [${g.group_name}] already exists`);
    }
    for (const r of (meta.roles as Array<{ name: string }>) ?? []) d.roles.push(r.name);
    for (const g of (meta.privilege_groups as Array<{ group_name: string; privileges: Array<{ name: string }> }>) ?? []) {
      d.privilegeGroups.push({ name: g.group_name, privileges: (g.privileges ?? []).map((p) => p.name) });
    }
    for (const u of (meta.users as Array<{ user: string; password: string; roles: Array<{ name: string }> }>) ?? []) {
      d.users.push({ name: u.user, password: u.password, roles: (u.roles ?? []).map((r) => r.name) });
    }
    for (const e of (meta.grants as Req[]) ?? []) {
      const g = grantFrom(e, 'root');
      if (!d.grants.some((x) => sameGrant(x, g))) d.grants.push(g);
    }
    s.catalog.save();
    return {};
  },
};
