import { runCli } from './program';

// `head` closing the pipe (`netcanvas observe | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// No top-level await: the bundle (scripts/build-cli.mjs) is CommonJS, so V8 can cache its compiled code.
void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
