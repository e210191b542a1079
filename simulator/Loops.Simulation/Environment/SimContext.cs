namespace Loops.Simulation.World;

/// <summary>One arriving player: the step, the hidden persona and the value of each context feature.</summary>
/// <remarks>Reused from step to step so the runner allocates nothing; a categorical value is the category's index.</remarks>
internal sealed class SimContext(int featureCount)
{
    public int Step { get; set; }

    public double Day { get; set; }

    public int Epoch { get; set; }

    public int Persona { get; set; }

    public double[] Values { get; } = new double[featureCount];
}
