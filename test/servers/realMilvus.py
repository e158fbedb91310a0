"""Starts one real Milvus standalone from the PyPI package `milvus` (embedded Milvus 2.3.x), for the tests.

Called by test/servers/realMilvus.ts with the venv's python. We use the package's own pieces -- its config
template engine (MilvusServerConfig, which writes <data>/configs/milvus.yaml) and its unpacker of the bundled
binary (_initialize_data_files) -- and then exec the binary ourselves instead of MilvusServer.start(), for two
reasons found by running it here:
  * start() picks the metrics/management port (METRICS_PORT, Milvus's 9091) itself, from 9091 up, and never
    says which it took; we pass a free one chosen by the caller.
  * `milvus run standalone` flocks <runtime dir>/standalone.pid, and this build ignores MILVUS_RUN_DIR and
    uses /run/milvus, so a second instance exits at once. Milvus's cmd/milvus/util.go getPidFileName() names
    the file "<role>-<alias>.pid" when `--alias` is given, so each instance runs with its own alias.
exec keeps one process: the pid the caller spawned is Milvus itself, so stopping it needs no tree walk.
"""
import argparse
import os
import sys

import milvus
from milvus import MilvusServerConfig, _initialize_data_files


def write_embedded_etcd_config(base: str, client_port: int, peer_port: int) -> None:
    """The embedded etcd is started from embed.NewConfig() unless `etcd.config.path` names an etcd config
    file (Milvus pkg/util/etcd/etcd_server.go InitEtcdServer); the defaults listen on localhost:2379 and 2380
    whatever `etcd.endpoints` says, so a second instance fails with "bind: address already in use". The
    template has no `etcd.config` key (--extra-config only replaces existing keys), so it is added here."""
    etcd_yaml = os.path.join(base, 'configs', 'embedEtcd.yaml')
    client = f'http://127.0.0.1:{client_port}'
    peer = f'http://127.0.0.1:{peer_port}'
    with open(etcd_yaml, 'w', encoding='utf-8') as f:
        f.write(f'name: default\nlisten-client-urls: {client}\nadvertise-client-urls: {client}\n'
                f'listen-peer-urls: {peer}\ninitial-advertise-peer-urls: {peer}\n'
                f'initial-cluster: default={peer}\n')
    milvus_yaml = os.path.join(base, 'configs', 'milvus.yaml')
    with open(milvus_yaml, encoding='utf-8') as f:
        lines = f.read().splitlines()
    i = lines.index('etcd:')
    lines[i + 1:i + 1] = ['  config:', f'    path: {etcd_yaml}']
    with open(milvus_yaml, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument('--data', required=True)
    p.add_argument('--alias', required=True)
    p.add_argument('--metrics-port', type=int, required=True)
    p.add_argument('--port', action='append', default=[], help='KEY=PORT for a *_port template key')
    p.add_argument('--set', action='append', default=[], help='dotted.key=value replacing a template key')
    p.add_argument('--etcd-peer-port', type=int, required=True)
    a = p.parse_args()

    cfg = MilvusServerConfig(data_dir=a.data)
    for kv in a.port:
        k, v = kv.split('=', 1)
        if k not in cfg.configurable_items:
            sys.exit(f'realMilvus.py: no port key {k} in this Milvus template')
        cfg.configs[k] = int(v)
    for kv in a.set:
        k, v = kv.split('=', 1)
        if v.lower() in ('true', 'false'):
            v = v.lower()
        cfg.set(k, v)
    cfg.resolve()
    base = cfg.base_data_dir
    write_embedded_etcd_config(base, cfg.get('etcd_port'), a.etcd_peer_port)
    _initialize_data_files(base)
    exe = os.path.join(base, 'bin', 'milvus')
    env = dict(os.environ)
    env.update({
        'DEPLOY_MODE': 'STANDALONE',
        'METRICS_PORT': str(a.metrics_port),
        'MILVUS_RUN_DIR': os.path.join(base, 'run'),
        'LD_LIBRARY_PATH': os.path.dirname(exe) + ':' + os.environ.get('LD_LIBRARY_PATH', ''),
        'MILVUSCONF': os.path.join(base, 'configs'),
    })
    os.chdir(base)
    print(f'EXEC milvus {milvus.__version__} {exe}', flush=True)
    os.execve(exe, [exe, 'run', 'standalone', f'--alias={a.alias}'], env)


if __name__ == '__main__':
    main()
