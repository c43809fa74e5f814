// The scratch command-line program: train, eval, sample, compare, report. See ScratchApp.
return Scratch.Cli.ScratchApp.Run(args);
