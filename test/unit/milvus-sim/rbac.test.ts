/** Users, roles, grants, privilege groups, and BackupRBAC → RestoreRBAC between two instances (2.5+). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, rawClient, rawCall } from './helpers';

test('users, roles, grants and privilege groups; BackupRBAC from A restores into B', async () => {
  const env = await startEnv({ version: 'v2.5.14', user: 'root', password: 'Milvus' });
  try {
    const a = env.client(env.sims[0], { username: 'root', password: 'Milvus' });
    assert.equal((await a.createUser({ username: 'alice', password: 'alice-secret' })).error_code, 'Success');
    assert.equal((await a.createUser({ username: 'bob', password: 'short' })).code, 1100, 'passwords need 6+ characters');
    assert.deepEqual((await a.listUsers()).usernames.sort(), ['alice', 'root']);
    assert.equal((await a.createRole({ roleName: 'reader' })).error_code, 'Success');
    assert.equal((await a.addUserToRole({ username: 'alice', roleName: 'reader' })).error_code, 'Success');
    assert.equal(
      (await a.grantRolePrivilege({ roleName: 'reader', object: 'Collection', objectName: 'books', privilegeName: 'Query', db_name: 'default' } as never)).error_code,
      'Success',
    );
    const grants = await a.listGrants({ roleName: 'reader' });
    assert.equal(grants.entities.length, 1);
    assert.equal(grants.entities[0].grantor.privilege.name, 'Query');
    assert.equal(grants.entities[0].grantor.user.name, 'root');
    const su = await a.describeUser({ username: 'alice' });
    assert.deepEqual(su.results[0].roles.map((r: { name: string }) => r.name), ['reader']);
    assert.equal((await a.createPrivilegeGroup({ group_name: 'pg1' })).error_code, 'Success');
    assert.equal((await a.addPrivilegesToGroup({ group_name: 'pg1', privileges: ['Query', 'Search'] })).error_code, 'Success');
    const groups = await a.listPrivilegeGroups();
    assert.deepEqual(groups.privilege_groups.map((g) => [g.group_name, g.privileges.map((p) => p.name)]), [['pg1', ['Query', 'Search']]]);

    // the new user can log in
    const asAlice = env.client(env.sims[0], { username: 'alice', password: 'alice-secret' });
    assert.equal((await asAlice.listDatabases()).status.error_code, 'Success');

    const rawA = rawClient(env.sims[0].address);
    const auth = { authorization: Buffer.from('root:Milvus').toString('base64') };
    const backup = await rawCall(rawA, 'BackupRBAC', {}, auth);
    assert.equal(backup.status.error_code, 'Success');
    const meta = backup.RBAC_meta;
    assert.deepEqual(meta.roles.map((r: { name: string }) => r.name), ['reader'], 'built-in roles are not exported');
    assert.ok(meta.users.some((u: { user: string; password: string }) => u.user === 'alice' && u.password.length > 0));
    assert.ok(!meta.users.some((u: { user: string }) => u.user === 'root'), 'root is never exported');
    assert.equal(meta.grants.length, 1);
    assert.equal(meta.privilege_groups[0].group_name, 'pg1');
    rawA.close();

    const simB = await env.addSim({ user: 'root', password: 'Milvus' });
    const rawB = rawClient(simB.address);
    const onlyNew = meta;
    const restored = await rawCall(rawB, 'RestoreRBAC', { RBAC_meta: onlyNew }, auth);
    assert.equal(restored.error_code, 'Success', restored.reason);
    const again = await rawCall(rawB, 'RestoreRBAC', { RBAC_meta: onlyNew }, auth);
    assert.notEqual(again.error_code, 'Success', 'restoring what exists is refused');
    const backupB = (await rawCall(rawB, 'BackupRBAC', {}, auth)).RBAC_meta;
    assert.deepEqual(backupB.roles, meta.roles);
    assert.deepEqual(backupB.grants, meta.grants);
    assert.deepEqual(backupB.privilege_groups, meta.privilege_groups);
    rawB.close();
    // the restored (hashed) password still works on B
    const aliceOnB = env.client(simB, { username: 'alice', password: 'alice-secret' });
    assert.equal((await aliceOnB.listDatabases()).status.error_code, 'Success');
  } finally {
    await env.stop();
  }
});

test('root always exists, authorization on or off, with the default password (RootCoord initCredentials)', async () => {
  const env = await startEnv({ version: 'v2.5.14' });
  try {
    const open = env.client(env.sims[0]);
    assert.deepEqual((await open.listUsers()).usernames, ['root']);
    assert.equal((await open.createUser({ username: 'carol', password: 'carol-secret' })).error_code, 'Success');
    assert.deepEqual((await open.listUsers()).usernames.sort(), ['carol', 'root']);
    assert.notEqual((await open.deleteUser({ username: 'root' })).error_code, 'Success', 'root cannot be deleted');

    // another admin user configured: root is there too, and logs in with Milvus's default password
    const secured = await env.addSim({ user: 'admin1', password: 'admin1-secret' });
    const asAdmin = env.client(secured, { username: 'admin1', password: 'admin1-secret' });
    assert.deepEqual((await asAdmin.listUsers()).usernames.sort(), ['admin1', 'root']);
    const asRoot = env.client(secured, { username: 'root', password: 'Milvus' });
    assert.equal((await asRoot.listDatabases()).status.error_code, 'Success');
  } finally {
    await env.stop();
  }
});
