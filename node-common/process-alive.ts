/**
 * Whether a process with this id is running: a signal 0 checks without sending anything. EPERM
 * means it runs as another user. Used to tell a lock or folder left by a process that died from
 * one a running process still holds.
 */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
