// The desktop's engine thread is the host's: bundled here as dist/electron/engine-worker.cjs.
import '../host/engine-worker.js';
