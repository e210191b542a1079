using System.CommandLine;
using Loops.Simulator;

var root = new RootCommand("Loops simulator: compares strategies on scenarios (in-process or on a live service), replays logs, drives live services and prepares load tests.")
{
    RunCommand.Create(),
    ReplayCommand.Create(),
    ListCommand.Create(),
    BenchCommand.Create(),
    DriveCommand.Create(),
    LoadFixtureCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
