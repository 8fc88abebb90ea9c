// The zip writer the studio shares with the hosted server.
export { writeZip } from '../node-common/zip-writer.js';
