// Command-line options as data: one definition gives the parser, the generated help and the typed values.
// Kept free of any CLI library, so the layers below the CLI (the queue, workers, bench) can share them.

export interface OptionDef {
  /** The long name without dashes; a boolean named no-x is given as --no-x. */
  readonly name: string;
  readonly type: 'string' | 'boolean';
  /** The value's placeholder in help, e.g. "N" or "FILE". */
  readonly value?: string;
  readonly multiple?: boolean;
  readonly short?: string;
  readonly help: string;
}

/** The values of a set of options, keyed by long name (a boolean is true when given). */
export type ValuesOf<D extends readonly OptionDef[]> = {
  [K in D[number] as K['name']]?: K extends { multiple: true } ? string[] : K['type'] extends 'boolean' ? boolean : string;
};
