/** Answers whether one dependency is usable right now; a thrown error counts as not ready. */
export type ReadinessCheck = () => boolean | Promise<boolean>;
