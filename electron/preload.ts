import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadClient } from './preload-client.js';

contextBridge.exposeInMainWorld('coursewright', createPreloadClient(ipcRenderer));
