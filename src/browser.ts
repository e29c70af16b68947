// wasock's entry where there is no Node (package.json's "browser" and "default" conditions):
// the same module API, with no host registered. struct, the constants, the errors and the
// decoders work; making a socket raises NotAvailableError naming the hosts there are (the
// emulated network will be this entry's default host). Loads no Buffer, node: module or FFI.
export * from './api.js';
