// The studio's exports use the Node-only export host it shares with the hosted server.
export { exportHost, loadExportAssets } from '../node-common/export-assets.js';
