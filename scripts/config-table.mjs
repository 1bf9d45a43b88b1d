#!/usr/bin/env node
// Prints the configuration table (generated from the settings in platform/src/config.ts)
// for the README; a test keeps the README in step with it.
import { configurationTable } from '@fleetline/platform';

console.log(configurationTable());
