/** Every kind of contact the unified queue carries (ACD-9). */
export const CHANNELS = ['voice', 'email', 'chat', 'video', 'fax', 'callback', 'workitem'] as const;

export type Channel = (typeof CHANNELS)[number];
