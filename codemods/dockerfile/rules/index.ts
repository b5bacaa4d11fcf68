// The rule table: one module per instruction kind (a rule for a new instruction goes in a new file here,
// and into RULES), then the rules that look at the whole file once every instruction is planned.
import type { Migration, Rule } from '../plan.js';
import { arg } from './arg.js';
import { replaceBaseVariables } from './base-variables.js';
import { installBaseTools } from './base-tools.js';
import { cmd } from './cmd.js';
import { copy } from './copy.js';
import { removeDeadCopies } from './dead-copies.js';
import { env } from './env.js';
import { from } from './from.js';
import { run } from './run.js';
import { shell } from './shell.js';
import { addSystemPackages } from './system-packages.js';
import { removeUnusedArgs } from './unused-args.js';
import { user } from './user.js';

export const RULES: Readonly<Record<string, Rule>> = {
  FROM: from,
  RUN: run,
  CMD: cmd,
  ENTRYPOINT: cmd,
  HEALTHCHECK: cmd,
  SHELL: shell,
  ENV: env,
  ARG: arg,
  USER: user,
  COPY: copy,
  ADD: copy,
};

export const FILE_RULES: readonly ((m: Migration) => void)[] = [removeDeadCopies, installBaseTools, addSystemPackages, removeUnusedArgs, replaceBaseVariables];
