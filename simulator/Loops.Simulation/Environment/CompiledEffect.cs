namespace Loops.Simulation.World;

/// <summary>One effect of a feature on conversion log-odds and log revenue, for the actions it applies to.</summary>
internal sealed record CompiledEffect(int Feature, int Category, double Center, double Scale, bool[] Applies, double ConversionLogit, double RevenueLog)
{
    public double ValueOf(double[] values) => Category >= 0
        ? (values[Feature] == Category ? 1 : 0)
        : (values[Feature] - Center) / Scale;
}
