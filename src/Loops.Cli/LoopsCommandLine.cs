using System.CommandLine;

namespace Loops.Cli;

/// <summary>The <c>loops</c> command line: its verbs, runnable in-process with any output writers.</summary>
internal static class LoopsCommandLine
{
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = new RootCommand("Loops: contextual-bandit decisions that keep learning. Tools that work on files and models.")
        {
            EvaluateCommand.Create(),
            ModelCommand.Create(),
        };
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }
}
