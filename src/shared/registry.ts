/*
 * The registry (四标四实): standard addresses, buildings, houses, residents, organisations and facilities. These
 * schemas are the contract of /api/v1/registry/* for the web console and the CLI; docs/API.md "The registry"
 * is the overview. They are kept in four files by what they describe, and gathered here for importers: the
 * words (entity types, field values, personal data fields), what records are written with, what the API answers,
 * and imports and exports.
 */

export * from './registry-answers.ts';
export * from './registry-files.ts';
export * from './registry-inputs.ts';
export * from './registry-vocabulary.ts';
