// The root lookup the studio shares with the hosted server.
export { projectRoot } from '../node-common/project-root.js';
