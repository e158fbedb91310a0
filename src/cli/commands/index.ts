import type { RegisterCommand } from '../context';
import { registerCheck } from './check';
import { registerConfig } from './config';
import { registerCreate } from './create';
import { registerDelete } from './delete';
import { registerGet } from './get';
import { registerList } from './list';
import { registerRestore } from './restore';
import { registerStaging } from './staging';
import { registerVerify } from './verify';
import { registerServer } from './server';
import { registerUnsupported } from './unsupported';

/**
 * Every CLI command, one module each (`list.ts`, `get.ts`, …). Add a command by appending its register
 * function here; keep the Go tool's command names and flags (Go `cmd/<command>/`).
 */
export const commands: RegisterCommand[] = [
  registerList,
  registerGet,
  registerDelete,
  registerConfig,
  registerCreate,
  registerCheck,
  registerRestore,
  registerVerify,
  registerStaging,
  registerServer,
  registerUnsupported,
];
