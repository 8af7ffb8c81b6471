/** IPC channel names shared by the Electron main process and the preload. */
export const CHANNELS = {
  call: 'flopscope:call',
  subscribe: 'flopscope:subscribe',
  unsubscribe: 'flopscope:unsubscribe',
  jobEvent: 'flopscope:job-event',
  upload: 'flopscope:upload',
} as const;
