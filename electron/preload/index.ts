/**
 * The preload: exposes exactly the contract's methods, by name, as
 * `window.verbatimHost[method](args) -> Promise<CallResult>`. No generic send or invoke
 * is exposed. Bundled as CommonJS (a sandboxed preload cannot load ESM) and imports only
 * `shared/methods.ts`, which has no dependencies.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { METHOD_NAMES, ipcChannel } from '../../shared/methods';

const host = Object.fromEntries(METHOD_NAMES.map((method) => [method, (args: unknown) => ipcRenderer.invoke(ipcChannel(method), args)]));

contextBridge.exposeInMainWorld('verbatimHost', Object.freeze(host));
