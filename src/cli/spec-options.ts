// The profile options that say *what* to profile, read from the profile command itself, so
// that an option added there (a block kind, a model) reaches sweeps and suites unchanged.
import { Command, type Option } from 'commander';
import { UsageError } from '../errors';
import { buildSpec, type RawSpecOptions, type Spec } from '../model/spec';
import { compose, PROFILE_OPTIONS, specOptions } from './option-groups';

/** The options that say what to profile: a suite case's options and a sweep's axes. */
const SPEC_OPTIONS = new Set(specOptions(new Command()).options.map((option) => option.attributeName()));

/** Option values as commander hands them to an action. */
export type RawOptions = Record<string, string | boolean | undefined>;

/** The one place where options become a Spec: when the spec builder grows, swap the call here. */
export function specFromOptions(raw: RawOptions): Spec {
  // Commander parsed these from the profile options, exactly as the profile command gets them.
  return buildSpec(raw as RawSpecOptions);
}

export function isSpecOption(option: Option): boolean {
  return SPEC_OPTIONS.has(option.attributeName());
}

/** A suite case's options, parsed exactly as `seprof --channels 512 ...` parses its argv. */
export function parseSpecOptions(options: Readonly<Record<string, unknown>>): RawOptions {
  const command = compose(new Command(), ...PROFILE_OPTIONS)
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} });
  const argv: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    const option = command.options.find((o) => o.attributeName() === key || o.long === `--${key}`);
    if (option === undefined) throw new UsageError(`unknown option '${key}'`);
    if (!isSpecOption(option)) throw new UsageError(`'${key}' says how to run, not what to profile: give it on the command line`);
    const flag = option.long ?? `--${key}`;
    if (option.isBoolean() !== (typeof value === 'boolean')) {
      throw new UsageError(`'${key}' must be ${option.isBoolean() ? 'true or false' : 'a number or a string'}, got ${JSON.stringify(value)}`);
    }
    if (value === true) argv.push(flag);
    else if (typeof value === 'number' || typeof value === 'string') argv.push(flag, String(value));
    else if (value !== false) throw new UsageError(`'${key}' must be a number or a string, got ${JSON.stringify(value)}`);
  }
  command.parse(argv, { from: 'user' });
  return command.opts<RawOptions>();
}
