// Bundles the extension and the CLI (the esbuild-sample shape): CJS for Node 20, `vscode` external.
// --production minifies and drops source maps; --watch rebuilds on change.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints build start/end and errors as file:line:col so a VS Code problem matcher can read them. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * The cloud SDKs (src/core/storage/sdkLoad.ts requires them on first use) are not inlined into extension.js and
 * cli.js: each becomes its own file dist/sdk-*.js (next to the bundles: the .vsix takes dist/*.js), and the bundles' `require('@azure/storage-blob')`
 * points there, so activation reads none of them and only a used provider's SDK is ever loaded.
 */
const VENDOR = {
  '@azure/storage-blob': 'sdk-azure-storage-blob',
  '@azure/identity': 'sdk-azure-identity',
  '@google-cloud/storage': 'sdk-google-cloud-storage',
};
const vendorExternal = {
  name: 'vendor-external',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(VENDOR).map((k) => k.replace(/[/@.-]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./${VENDOR[args.path]}.js`, external: true }));
  },
};

async function main() {
  const vendor = await esbuild.context({
    entryPoints: Object.entries(VENDOR).map(([pkg, out]) => ({ in: require.resolve(pkg), out })),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outdir: 'dist',
    logOverride: { 'require-resolve-not-external': 'silent' },
    minify: production,
    sourcemap: false,
    logLevel: 'warning',
  });
  const ctx = await esbuild.context({
    entryPoints: { extension: 'src/extension.ts', cli: 'src/cli/main.ts' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outdir: 'dist',
    external: ['vscode'],
    // Optional requires inside dependencies that are never hit at run time (see milvus-sdk-notes.md).
    // Left unresolved instead of failing the bundle.
    logOverride: { 'require-resolve-not-external': 'silent' },
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    plugins: watch ? [vendorExternal, problemMatcher] : [vendorExternal],
  });
  if (watch) {
    await vendor.rebuild();
    await vendor.dispose();
    await ctx.watch();
  } else {
    await Promise.all([ctx.rebuild(), vendor.rebuild()]);
    await Promise.all([ctx.dispose(), vendor.dispose()]);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
