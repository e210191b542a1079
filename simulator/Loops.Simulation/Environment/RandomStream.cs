namespace Loops.Simulation.World;

/// <summary>Independent streams of randomness, one per kind of draw.</summary>
internal enum RandomStream
{
    Persona = 1,
    Feature = 2,
    Conversion = 3,
    Revenue = 4,
    Delay = 5,
    Strategy = 6,
}
