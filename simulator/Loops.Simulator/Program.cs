using System.CommandLine;
using Loops.Simulator;

var root = new RootCommand("Loops simulator: drives a live Loops service with synthetic players; prepares load tests.")
{
    DriveCommand.Create(),
    LoadFixtureCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
