/**
 * The names a user picks from when setting up a database rotation, with one
 * line each. Kept apart from the engines so the editor's client can show the
 * choices without bundling the database drivers.
 */
export type RotatorName = 'postgres' | 'mysql';
export type RotationStrategy = 'single' | 'alternating';
export const ROTATORS: readonly RotatorName[] = ['postgres', 'mysql'];
export const STRATEGIES: readonly RotationStrategy[] = ['single', 'alternating'];

export const ROTATOR_LABEL: Record<RotatorName, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL / MariaDB',
};

/** One line each, for the CLI's help and the editor's pick list. */
export const STRATEGY_SUMMARY: Record<RotationStrategy, string> = {
  single: "Changes the user's own password; apps using the old one fail until they read the new value.",
  alternating: 'Flips between two users (app, app_clone); the previous credentials keep working until the next rotation.',
};
