/**
 * `--rbac` (Go `core/restore/task.go` `Task.restoreRBAC` and `conv.Users/Roles/Grants/PrivilegeGroups`): read
 * what the target has, add only what is missing — users by name, roles by name, grants by
 * object/objectName/role/grantor user/privilege/db, privilege groups by name — in one RestoreRBAC call.
 * Nothing on the target is changed or removed.
 */
import type { Raw } from '../milvus/gateway';
import type { RBACMeta } from '../meta/types';

interface RbacDelta {
  users: Raw[];
  roles: Raw[];
  grants: Raw[];
  privilege_groups: Raw[];
}

const name = (x: unknown) => String((x as { name?: string } | undefined)?.name ?? '');

function currentGrantKey(g: Raw): string {
  return [name(g.object), g.object_name ?? '', name(g.role), name(g.grantor?.user), name(g.grantor?.privilege), g.db_name ?? ''].join('/');
}

export function rbacDelta(backup: RBACMeta | undefined, current: Raw): RbacDelta {
  const curUsers = new Set(((current.users ?? []) as Raw[]).map((u) => String(u.user ?? '')));
  const curRoles = new Set(((current.roles ?? []) as Raw[]).map((r) => name(r)));
  const curGrants = new Set(((current.grants ?? []) as Raw[]).map(currentGrantKey));
  const curGroups = new Set(((current.privilege_groups ?? []) as Raw[]).map((g) => String(g.group_name ?? '')));
  const b = backup ?? { users: [], roles: [], grants: [], privilegeGroups: [] };

  const users = b.users
    .filter((u) => !curUsers.has(u.user))
    .map((u) => ({ user: u.user, password: u.password, roles: u.roles.map((r) => ({ name: r.name })) }));
  const roles = b.roles.filter((r) => !curRoles.has(r.name)).map((r) => ({ name: r.name }));
  const grants = b.grants
    .map((g) => ({
      role: { name: g.role?.name ?? '' },
      object: { name: g.object?.name ?? '' },
      object_name: g.objectName,
      grantor: { user: { name: g.grantor?.user?.name ?? '' }, privilege: { name: g.grantor?.privilege?.name ?? '' } },
      db_name: g.dbName,
    }))
    .filter((g) => !curGrants.has(currentGrantKey(g)));
  const privilege_groups = b.privilegeGroups
    .filter((g) => !curGroups.has(g.groupName))
    .map((g) => ({ group_name: g.groupName, privileges: g.privileges.map((p) => ({ name: p.name })) }));
  return { users, roles, grants, privilege_groups };
}

export const rbacCounts = (d: RbacDelta) => ({
  users: d.users.length,
  roles: d.roles.length,
  grants: d.grants.length,
  privilegeGroups: d.privilege_groups.length,
});
