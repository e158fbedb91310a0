// The artifact users get, tested: package the .vsix, install it into a fresh VS Code server with
// `--install-extension`, and run test/extension/packaged/ in that server next to an empty probe extension.
import { join } from 'node:path';
import { Cleanup } from './cleanup';
import { checkVsixContents, packageVsix } from './packageVsix';
import { repoRoot } from './paths';
import { Counts, runExtensionTests } from './runExtensionTests';
import { installExtension } from './server';

export async function vsixSmoke(cleanup: Cleanup): Promise<Counts> {
  const tmp = cleanup.tempDir('vsix');
  const started = Date.now();
  checkVsixContents();
  const vsix = packageVsix(join(tmp, 'milvus-backup.vsix'));
  const extensionsDir = join(tmp, 'extensions');
  installExtension(cleanup, vsix, extensionsDir);
  console.log(`[harness] vsix: packaged and installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const packagedDir = join(repoRoot, 'test', 'extension', 'packaged');
  const { counts } = await runExtensionTests(cleanup, {
    name: 'vsix-tests',
    suitesDir: packagedDir,
    extensionDevelopmentPath: join(packagedDir, 'probe'),
    extensionsDir,
    env: { MILVUS_BACKUP_EXPECT_EXTENSIONS_DIR: extensionsDir },
  });
  return counts;
}
