import { describeFixtures } from './harness.js';

describeFixtures('ignore-files');
