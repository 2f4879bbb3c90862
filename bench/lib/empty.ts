// The baseline of the cold-start benchmark: `deno run` of a script that does nothing.
