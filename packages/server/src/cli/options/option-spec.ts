// One option of `sluis-server start`: its key in the config object and JSON file, its flag,
// its environment variable, kind, default (as shown in help and docs) and help text.

export interface OptionSpec {
  /** Key in the config object and the JSON file. */
  readonly key: string;
  readonly flag: string;
  readonly env: string;
  readonly kind: 'string' | 'int' | 'number' | 'boolean' | 'list';
  readonly description: string;
  readonly default: string;
}
