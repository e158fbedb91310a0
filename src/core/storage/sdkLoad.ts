/**
 * The cloud SDKs, required on first use (never at extension activation: together they are several MiB of
 * JavaScript). In the bundles (esbuild.js) each is its own file, dist/sdk-*.js, which these `require`s
 * are rewritten to, so the extension and CLI bundles stay small and a file is read only when its provider is.
 */
export function loadAzureBlob(): typeof import('@azure/storage-blob') {
  return require('@azure/storage-blob') as typeof import('@azure/storage-blob');
}

export function loadAzureIdentity(): typeof import('@azure/identity') {
  return require('@azure/identity') as typeof import('@azure/identity');
}

export function loadGcs(): typeof import('@google-cloud/storage') {
  return require('@google-cloud/storage') as typeof import('@google-cloud/storage');
}
