/** Registers every gRPC handler module beyond the DDL core (imported once by index.ts). */
import { registerHandlers } from './server.js';

export {};
void registerHandlers;
