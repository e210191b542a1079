using Loops.Cli;

return await LoopsCommandLine.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
