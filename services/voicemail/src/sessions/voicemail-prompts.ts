/** What the caller hears besides the greeting: media URIs the media gateway plays. */
export interface VoicemailPrompts {
  /** The review menu, naming only the choices on offer. */
  review(offer: { listen: boolean; rerecord: boolean }): readonly string[];
  readonly tooShort: readonly string[];
  readonly saved: readonly string[];
  readonly goodbye: readonly string[];
  readonly invalid: readonly string[];
}

/** Asterisk's core sounds, in the call's language (Asterisk picks the file per channel language). */
export const CORE_SOUND_PROMPTS: VoicemailPrompts = {
  review: ({ listen, rerecord }) => [
    ...(listen ? ['sound:to-listen-to-it', 'sound:vm-press', 'digits:1'] : []),
    ...(rerecord ? ['sound:to-rerecord-it', 'sound:vm-press', 'digits:2'] : []),
    'sound:if-correct-press',
    'digits:3',
  ],
  tooShort: ['sound:vm-tooshort', 'sound:please-try-again'],
  saved: ['sound:vm-msgsaved'],
  goodbye: ['sound:vm-goodbye'],
  invalid: ['sound:pm-invalid-option'],
};
