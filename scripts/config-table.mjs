#!/usr/bin/env node
// Prints the configuration table (generated from the settings in platform/src/config/ and
// the app's own in app/src/settings.ts) for the README; a test keeps the README in step with it.
import { appSettings } from '@fleetline/app';
import { configurationTable } from '@fleetline/platform';

console.log(configurationTable(appSettings));
