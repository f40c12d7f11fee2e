import { contractSuite } from './suite';
import { backendImpl, electronImpl, memoryImpl, webImpl } from './implementations';

contractSuite('in-memory fake', memoryImpl);
contractSuite('backend direct', backendImpl);
contractSuite('Electron IPC wiring (stub ipcMain/ipcRenderer)', electronImpl);
contractSuite('browser host over loopback', webImpl);
